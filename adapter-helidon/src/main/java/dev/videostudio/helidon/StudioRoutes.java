package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;

/** The one place where every HTTP service is registered. */
final class StudioRoutes {

    private StudioRoutes() {
    }

    static void register(HttpRouting.Builder routing, VideoStudio studio, Path webRoot) {
        routing.error(StudioException.class, ErrorResponses::studioError)
                .error(io.helidon.http.HttpException.class, ErrorResponses::httpError)
                .error(Exception.class, ErrorResponses::unexpected);
        routing.register(AssetHttpService.PATH, new AssetHttpService(studio));
        routing.register(WaveformHttpService.PATH, new WaveformHttpService(studio));
        routing.register(ThumbnailHttpService.PATH, new ThumbnailHttpService(studio));
        routing.register(JobHttpService.PATH, new JobHttpService(studio));
        routing.register(MediaFileService.PATH, new MediaFileService(studio.mediaRoot()));
        routing.register(TimelineHttpService.PATH, new TimelineHttpService(studio));
        routing.register(ProxyHttpService.PATH, new ProxyHttpService(studio));
        // Keep the studio page last: it answers whatever path nothing above took.
        routing.register("/", new StudioPageService(webRoot));
    }
}
