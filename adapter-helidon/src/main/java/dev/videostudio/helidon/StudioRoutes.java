package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.time.Duration;

/** The one place where every HTTP service is registered. */
final class StudioRoutes {

    private StudioRoutes() {
    }

    static void register(HttpRouting.Builder routing, VideoStudio studio, Path webRoot, AccessConfig access,
                         StorageGuard storage, Duration uploadExpiry, Duration uploadSweep) {
        registerErrors(routing);
        UrlSigner signer = UrlSigner.from(access);
        routing.addFilter(new AccessFilter(access, Authenticator.of(access), signer, storage));
        MediaUrls links = new MediaUrls(access.authOn() ? signer : null);
        Quotas quotas = new Quotas(access.quota(), studio, java.time.Clock.systemUTC());
        routing.register(AssetHttpService.PATH, new AssetHttpService(studio, links, quotas));
        routing.register(TusHttpService.PATH, new TusHttpService(studio,
                new TusUploads(studio.mediaRoot().root().resolve("uploads"), uploadExpiry, uploadSweep), links, quotas));
        routing.register(WaveformHttpService.PATH, new WaveformHttpService(studio, quotas));
        routing.register(ThumbnailHttpService.PATH, new ThumbnailHttpService(studio));
        routing.register(JobHttpService.PATH, new JobHttpService(studio));
        routing.register(MediaFileService.PATH, new MediaFileService(studio, links));
        routing.register(TimelineHttpService.PATH, new TimelineHttpService(studio, links));
        routing.register(ProxyHttpService.PATH, new ProxyHttpService(studio, links, quotas));
        // Keep the studio page last: it answers whatever path nothing above took.
        routing.register("/", new StudioPageService(webRoot));
    }

    /**
     * What a worker node's port has besides health and metrics: the error mapping and the access
     * filter (so {@code /metrics} is an admin's there too).
     */
    static void registerWorker(HttpRouting.Builder routing, AccessConfig access, StorageGuard storage) {
        registerErrors(routing);
        routing.addFilter(new AccessFilter(access, Authenticator.of(access), UrlSigner.from(access), storage));
    }

    private static void registerErrors(HttpRouting.Builder routing) {
        routing.error(StudioException.class, ErrorResponses::studioError)
                .error(io.helidon.http.HttpException.class, ErrorResponses::httpError)
                .error(Exception.class, ErrorResponses::unexpected);
    }
}
