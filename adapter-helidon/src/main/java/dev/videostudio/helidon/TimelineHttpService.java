package dev.videostudio.helidon;

import dev.videostudio.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.StudioJson;
import dev.videostudio.VideoStudio;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Otio;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /api/generate/video/timeline}: save (create or update), read one, list, delete, and
 * OpenTimelineIO import ({@code POST /otio}) and export ({@code GET /{id}/otio}). The proxy
 * endpoints under {@code /{id}/proxy} are ProxyHttpService's.
 */
final class TimelineHttpService implements HttpService {

    static final String PATH = "/api/generate/video/timeline";
    /** A timeline body is a few kilobytes; this leaves room for thousands of clips. */
    static final long MAX_BODY = 8L * 1024 * 1024;

    private final VideoStudio studio;
    private final AssetLookup assets;

    TimelineHttpService(VideoStudio studio) {
        this.studio = studio;
        this.assets = AssetLookup.of(studio.assets(), VideoStudio.DEFAULT_TENANT);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::save)
                .get("/", this::list)
                .post("/otio", this::importOtio)
                .get("/{timeline_id}", this::one)
                .delete("/{timeline_id}", this::delete)
                .get("/{timeline_id}/otio", this::exportOtio);
    }

    private void save(ServerRequest req, ServerResponse res) {
        Timeline saved = studio.timelines().save(TimelineJson.parse(body(req), assets).withTenant(VideoStudio.DEFAULT_TENANT));
        answerSaved(res, saved, StudioJson.mapper().valueToTree(MediaUrls.view(saved)));
    }

    private void importOtio(ServerRequest req, ServerResponse res) {
        Otio.Imported imported = Otio.importTimeline(body(req), assets);
        Timeline saved = studio.timelines().save(imported.timeline().withTimelineId(null).withTenant(VideoStudio.DEFAULT_TENANT));
        ObjectNode answer = StudioJson.mapper().valueToTree(MediaUrls.view(saved));
        answer.set("warnings", StudioJson.mapper().valueToTree(imported.warnings()));
        answerSaved(res, saved, answer);
    }

    /** 201 with {@code Location} for a new timeline (revision 1), 200 for an update. */
    private static void answerSaved(ServerResponse res, Timeline saved, JsonNode answer) {
        if (saved.revision() == 1) {
            res.header(HeaderNames.LOCATION, PATH + "/" + saved.timelineId());
            Json.send(res, Status.CREATED_201, answer);
        } else {
            Json.ok(res, answer);
        }
    }

    private void one(ServerRequest req, ServerResponse res) {
        Json.ok(res, MediaUrls.view(find(req)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.ok(res, studio.timelines().list(VideoStudio.DEFAULT_TENANT).stream().map(MediaUrls::view).toList());
    }

    /** 204; removes the record, the proxy files and the running render; its assets are free again. */
    private void delete(ServerRequest req, ServerResponse res) {
        String id = MediaRoot.requireValidId(req.path().pathParameters().get("timeline_id"), "timeline");
        if (!studio.deleteTimeline(id)) {
            throw StudioException.notFound("timeline", id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void exportOtio(ServerRequest req, ServerResponse res) {
        Timeline timeline = find(req);
        String file = timeline.name().replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        res.header(HeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"" + (file.isEmpty() ? timeline.timelineId() : file) + ".otio\"");
        Json.ok(res, Otio.exportTimeline(timeline, assets, MediaUrls::asset));
    }

    private Timeline find(ServerRequest req) {
        return studio.timelines().get(req.path().pathParameters().get("timeline_id"));
    }

    private static JsonNode body(ServerRequest req) {
        var length = req.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > MAX_BODY) {
            throw new StudioException(Problem.TOO_LARGE, ErrorCode.TOO_LARGE, "a timeline body is limited to " + MAX_BODY + " bytes");
        }
        return Json.read(req);
    }
}
