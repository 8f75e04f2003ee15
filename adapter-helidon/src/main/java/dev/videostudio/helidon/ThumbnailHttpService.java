package dev.videostudio.helidon;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.proxy.ThumbnailStrips;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@code GET /api/media/video-assets/{asset_id}/thumbnails}: the JPEG strip of small frames along a
 * video (made on the first request), with its layout in headers: {@code Thumbnail-Frames},
 * {@code Thumbnail-Interval} (seconds between frames), {@code Thumbnail-Width}, {@code Thumbnail-Height}.
 */
final class ThumbnailHttpService implements HttpService {

    static final String PATH = AssetHttpService.PATH;

    private final VideoStudio studio;
    private final ThumbnailStrips strips;

    ThumbnailHttpService(VideoStudio studio) {
        this.studio = studio;
        this.strips = ThumbnailStrips.create(studio.mediaRoot(), studio.ffmpeg(), studio.assets(), studio.proxies().renderer());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{asset_id}/thumbnails", this::strip);
    }

    private void strip(ServerRequest req, ServerResponse res) {
        String id = MediaRoot.requireValidId(req.path().pathParameters().get("asset_id"), "asset");
        Asset asset = studio.assets().find(id).orElseThrow(() -> StudioException.notFound("asset", id));
        // another tenant's asset answers 404 like a missing one, before any frame is made
        Caller.of(req).requireSees(asset.tenant(), "asset", id);
        ThumbnailStrips.Strip s = strips.strip(id);
        byte[] jpeg;
        try {
            jpeg = Files.readAllBytes(s.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.headers().contentType(HttpMediaType.create("image/jpeg"));
        res.header("Thumbnail-Frames", Integer.toString(s.frames()))
                .header("Thumbnail-Interval", Double.toString(s.interval()))
                .header("Thumbnail-Width", Integer.toString(s.frameWidth()))
                .header("Thumbnail-Height", Integer.toString(s.frameHeight()))
                // an asset never changes: the strip of an id stays the same
                .header(HeaderNames.CACHE_CONTROL, "private, max-age=86400");
        res.send(jpeg);
    }
}
