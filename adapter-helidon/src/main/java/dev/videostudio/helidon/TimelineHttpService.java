package dev.videostudio.helidon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.VideoStudio;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Otio;
import dev.videostudio.timeline.PreviewStatus;
import dev.videostudio.timeline.ProxyPreview;
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
    private final MediaUrls links;

    TimelineHttpService(VideoStudio studio, MediaUrls links) {
        this.studio = studio;
        this.links = links;
    }

    /** The assets a timeline of {@code tenant} may use: only that tenant's (another's are unknown assets). */
    private AssetLookup assets(String tenant) {
        return AssetLookup.of(studio.assets(), tenant);
    }

    /**
     * The tenant a save is for: the caller's, or for an admin updating another tenant's timeline,
     * that timeline's owner (a caller who may not see it gets the store's 404).
     */
    private String saveTenant(ServerRequest req, JsonNode body) {
        Caller caller = Caller.of(req);
        String id = body.path("timeline_id").isTextual() ? body.path("timeline_id").asText() : null;
        if (caller.role() == Role.ADMIN && id != null && MediaRoot.isValidId(id)) {
            return studio.timelines().find(id).map(Timeline::tenant).orElse(caller.tenant());
        }
        return caller.tenant();
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
        JsonNode body = body(req);
        String tenant = saveTenant(req, body);
        Timeline saved = studio.timelines().save(TimelineJson.parse(body, assets(tenant)).withTenant(tenant));
        answerSaved(res, saved, answer(saved));
    }

    private void importOtio(ServerRequest req, ServerResponse res) {
        String tenant = Caller.of(req).tenant();
        Otio.Imported imported = Otio.importTimeline(body(req), assets(tenant));
        Timeline saved = studio.timelines().save(imported.timeline().withTimelineId(null).withTenant(tenant));
        ObjectNode answer = answer(saved);
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
        Json.ok(res, answer(find(req)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.ok(res, studio.timelines().list(Caller.of(req).listTenant()).stream().map(links::signed).toList());
    }

    /** 204; removes the record, the proxy files and the running render; its assets are free again. */
    private void delete(ServerRequest req, ServerResponse res) {
        String id = find(req).timelineId();
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
        Json.ok(res, Otio.exportTimeline(timeline, assets(timeline.tenant()), MediaUrls::asset));
    }

    private Timeline find(ServerRequest req) {
        Timeline timeline = studio.timelines().get(req.path().pathParameters().get("timeline_id"));
        Caller.of(req).requireSees(timeline.tenant(), "timeline", timeline.timelineId());
        return timeline;
    }

    private static JsonNode body(ServerRequest req) {
        return Json.read(req, MAX_BODY);
    }

    /**
     * A timeline as answered: its URLs signed, and while its proxy renders, the live stream of
     * that render in {@code proxy_preview} (the same {@code stream_url} as the proxy state).
     */
    private ObjectNode answer(Timeline timeline) {
        ObjectNode node = StudioJson.mapper().valueToTree(links.signed(timeline));
        ProxyPreview preview = timeline.proxyPreview();
        if (preview != null && preview.status() == PreviewStatus.PROCESSING
                && node.get("proxy_preview") instanceof ObjectNode out) {
            ProxyState state = links.proxy(timeline.timelineId(), studio.proxies().state(timeline.timelineId()), timeline.tenant());
            if (state.streamUrl() != null) {
                out.put("stream_url", state.streamUrl());
                if (state.streamStart() != null) {
                    out.put("stream_start", state.streamStart());
                }
            }
        }
        return node;
    }
}
