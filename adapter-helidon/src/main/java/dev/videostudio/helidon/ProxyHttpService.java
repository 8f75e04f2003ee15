package dev.videostudio.helidon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.VideoStudio;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.PreviewStatus;
import dev.videostudio.timeline.Timeline;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Proxy previews of a saved timeline: {@code POST .../{timeline_id}/proxy} asks for one (200
 * {@code ready} from the cache with no job, else 202 {@code processing} with the job),
 * {@code GET .../proxy} tells its state, {@code GET .../poster}, {@code GET .../preview.webp} and
 * {@code GET .../preview.gif} give a poster frame and an animated flip-through of the ready proxy.
 */
final class ProxyHttpService implements HttpService {

    static final String PATH = "/api/generate/video/timeline";
    /** Seconds a client should wait before polling a running render again. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /**
     * How long a {@code POST} waits for a starting render's stream to list its first segment (it
     * usually does within a second), so that the answer names {@code stream_url} and a page need
     * not poll for it; the answer comes at once when the stream (or a ready proxy) is there.
     */
    static final java.time.Duration STREAM_WAIT = java.time.Duration.ofMillis(1500);

    /** How long a poster request waits for a free ffmpeg slot before answering 429. */
    private static final long STILL_WAIT_SECONDS = 20;

    private final VideoStudio studio;
    /** Posters and previews being made now: a burst of requests for one image shares one ffmpeg run. */
    private final ConcurrentHashMap<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
    /** Image ffmpeg runs at once, as many as jobs run at once: a burst cannot start a process per request. */
    private final Semaphore stillSlots;

    private final MediaUrls links;
    private final Quotas quotas;

    ProxyHttpService(VideoStudio studio, MediaUrls links, Quotas quotas) {
        this.studio = studio;
        this.links = links;
        this.quotas = quotas;
        this.stillSlots = new Semaphore(studio.config().jobConcurrency(), true);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{timeline_id}/proxy", this::request)
                .get("/{timeline_id}/proxy", this::state)
                .get("/{timeline_id}/poster", this::poster)
                .get("/{timeline_id}/preview.webp", this::preview)
                .get("/{timeline_id}/preview.gif", this::gif);
    }

    /** The timeline's id, after checking the caller may see it (another tenant's is a 404). */
    private String timelineId(ServerRequest req) {
        return timeline(req).timelineId();
    }

    private Timeline timeline(ServerRequest req) {
        String id = MediaRoot.requireValidId(req.path().pathParameters().get("timeline_id"), "timeline");
        Timeline timeline = studio.timelines().get(id);
        Caller.of(req).requireSees(timeline.tenant(), "timeline", id);
        return timeline;
    }

    private void request(ServerRequest req, ServerResponse res) {
        JsonNode body = Json.read(req); // first: a too large body is refused whatever it names
        Timeline timeline = timeline(req);
        String id = timeline.timelineId();
        JsonNode force = body.path("force");
        JsonNode from = body.path("from");
        if (!body.isObject() || !(force.isMissingNode() || force.isNull() || force.isBoolean())
                || !(from.isMissingNode() || from.isNull() || from.isNumber() && from.asDouble() >= 0)) {
            throw StudioException.malformed("the body must be {\"force\": true|false, \"from\": seconds}");
        }
        PreviewStatus now = studio.proxies().state(id).status();
        if (force.asBoolean(false) ? now != PreviewStatus.PROCESSING
                : now != PreviewStatus.PROCESSING && now != PreviewStatus.READY) {
            quotas.beforeJob(timeline.tenant());
        }
        ProxyState state = links.proxy(id, studio.proxies().request(id, force.asBoolean(false),
                from.isNumber() ? from.asDouble() : null, STREAM_WAIT), timeline.tenant());
        quotas.started(state.jobId());
        if (state.status() == PreviewStatus.READY) {
            Json.ok(res, state);
            return;
        }
        res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        res.header(HeaderNames.LOCATION, "/api/jobs/" + state.jobId());
        Json.send(res, Status.ACCEPTED_202, state);
    }

    private void state(ServerRequest req, ServerResponse res) {
        Timeline timeline = timeline(req);
        ProxyState state = links.proxy(timeline.timelineId(), studio.proxies().state(timeline.timelineId()), timeline.tenant());
        if (state.status() == PreviewStatus.PROCESSING) {
            res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        Json.ok(res, state);
    }

    private void poster(ServerRequest req, ServerResponse res) {
        String id = timelineId(req);
        sendImage(res, once("poster:" + id, () -> studio.proxies().poster(id)), "image/jpeg");
    }

    private void preview(ServerRequest req, ServerResponse res) {
        String id = timelineId(req);
        sendImage(res, once("preview:" + id, () -> studio.proxies().animatedPreview(id)), "image/webp");
    }

    /**
     * Runs {@code make} once for all the requests that ask for {@code key} while it runs, within the
     * image slots. The core keeps the made file by content, so later requests find it at once.
     */
    private Path once(String key, Supplier<Path> make) {
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            try {
                if (!stillSlots.tryAcquire(STILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new StudioException(Problem.BUSY, "busy", "too many previews are being made: retry shortly");
                }
                try {
                    // Prometheus studio_preview_calls_total: calls into the core, each at most one ffmpeg run
                    Metrics.getOrCreate(Counter.builder("studio.preview.calls")
                            .description("poster and animated preview calls that may run ffmpeg")).increment();
                    mine.complete(make.get());
                } finally {
                    stillSlots.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                mine.completeExceptionally(new StudioException(Problem.UNAVAILABLE, "interrupted", "the server is stopping"));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(key, mine);
            }
        }
        try {
            return running.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void gif(ServerRequest req, ServerResponse res) {
        sendImage(res, studio.proxies().animatedGif(timelineId(req)), "image/gif");
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
