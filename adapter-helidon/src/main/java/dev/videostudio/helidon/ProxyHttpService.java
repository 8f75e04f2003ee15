package dev.videostudio.helidon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.PreviewStatus;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Proxy previews of a saved timeline: {@code POST .../{timeline_id}/proxy} asks for one (200
 * {@code ready} from the cache with no job, else 202 {@code processing} with the job),
 * {@code GET .../proxy} tells its state, {@code GET .../poster} and {@code GET .../preview.webp}
 * give a poster frame and an animated flip-through of the ready proxy.
 */
final class ProxyHttpService implements HttpService {

    static final String PATH = "/api/generate/video/timeline";
    /** Seconds a client should wait before polling a running render again. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final VideoStudio studio;

    ProxyHttpService(VideoStudio studio) {
        this.studio = studio;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{timeline_id}/proxy", this::request)
                .get("/{timeline_id}/proxy", this::state)
                .get("/{timeline_id}/poster", this::poster)
                .get("/{timeline_id}/preview.webp", this::preview);
    }

    private static String timelineId(ServerRequest req) {
        return MediaRoot.requireValidId(req.path().pathParameters().get("timeline_id"), "timeline");
    }

    private void request(ServerRequest req, ServerResponse res) {
        String id = timelineId(req);
        JsonNode body = Json.read(req);
        JsonNode force = body.path("force");
        JsonNode from = body.path("from");
        if (!body.isObject() || !(force.isMissingNode() || force.isNull() || force.isBoolean())
                || !(from.isMissingNode() || from.isNull() || from.isNumber() && from.asDouble() >= 0)) {
            throw StudioException.malformed("the body must be {\"force\": true|false, \"from\": seconds}");
        }
        ProxyState state = MediaUrls.view(id, studio.proxies().request(id, force.asBoolean(false),
                from.isNumber() ? from.asDouble() : null));
        if (state.status() == PreviewStatus.READY) {
            Json.ok(res, state);
            return;
        }
        res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        res.header(HeaderNames.LOCATION, "/api/jobs/" + state.jobId());
        Json.send(res, Status.ACCEPTED_202, state);
    }

    private void state(ServerRequest req, ServerResponse res) {
        String id = timelineId(req);
        ProxyState state = MediaUrls.view(id, studio.proxies().state(id));
        if (state.status() == PreviewStatus.PROCESSING) {
            res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        Json.ok(res, state);
    }

    private void poster(ServerRequest req, ServerResponse res) {
        sendImage(res, studio.proxies().poster(timelineId(req)), "image/jpeg");
    }

    private void preview(ServerRequest req, ServerResponse res) {
        sendImage(res, studio.proxies().animatedPreview(timelineId(req)), "image/webp");
    }

    /** Images are small and named by the content they show, so they are sent whole. */
    private static void sendImage(ServerResponse res, Path file, String contentType) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            res.header(HeaderNames.CONTENT_TYPE, contentType)
                    .header(HeaderNames.CACHE_CONTROL, "no-cache")
                    .header(HeaderNames.ETAG, "\"" + file.getFileName() + "\"")
                    .send(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
