package dev.videostudio.helidon;

import dev.videostudio.ErrorInfo;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.VideoStudio;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobStatus;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code /api/jobs/{job_id}}: a job's state, {@code DELETE} to cancel it, and {@code /events}: the same as server-sent events until final. */
final class JobHttpService implements HttpService {

    static final String PATH = "/api/jobs";
    /** A comment line this often keeps proxies from closing a quiet stream. */
    private static final long KEEPALIVE_SECONDS = 15;

    private final VideoStudio studio;

    JobHttpService(VideoStudio studio) {
        this.studio = studio;
    }

    /** The job as the contract shows it (no key, no payload). */
    record JobView(String jobId, String type, JobStatus status, double progress, ErrorInfo error,
                   Instant createdAt, Instant updatedAt) {
        static JobView of(Job j) {
            return new JobView(j.jobId(), j.type().name().toLowerCase(), j.status(), j.progress(), j.error(),
                    j.createdAt(), j.updatedAt());
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{job_id}", this::one)
                .delete("/{job_id}", this::cancel)
                .get("/{job_id}/events", this::events);
    }

    private Job find(ServerRequest req) {
        String id = MediaRoot.requireValidId(req.path().pathParameters().get("job_id"), "job");
        Job job = studio.jobs().find(id).orElseThrow(() -> StudioException.notFound("job", id));
        Caller.of(req).requireSees(job.tenant(), "job", id);
        return job;
    }

    private void one(ServerRequest req, ServerResponse res) {
        Json.ok(res, JobView.of(find(req)));
    }

    /** Cancels a queued or running job (its ffmpeg runs stop); 409 when it had already finished. */
    private void cancel(ServerRequest req, ServerResponse res) {
        Job job = find(req);
        if (!job.status().isFinal() && studio.jobs().cancel(job.jobId())) {
            Json.ok(res, JobView.of(studio.jobs().find(job.jobId()).orElse(job)));
            return;
        }
        Job now = studio.jobs().find(job.jobId()).orElse(job);
        throw new StudioException(StudioException.Problem.CONFLICT, "job_finished",
                "job '" + job.jobId() + "' already finished as " + now.status().name().toLowerCase());
    }

    /** One {@code job} event per change, starting with the current state; the stream ends with the final state. */
    private void events(ServerRequest req, ServerResponse res) throws Exception {
        Job job = find(req);
        BlockingQueue<Job> changes = new LinkedBlockingQueue<>();
        try (AutoCloseable sub = studio.jobs().subscribe(job.jobId(), changes::add);
             SseSink sse = res.sink(SseSink.TYPE)) {
            while (true) {
                Job next = changes.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (next == null) {
                    sse.emit(SseEvent.builder().comment("keep-alive").build());
                    continue;
                }
                // coalesce a burst of progress events into the latest one
                Job newer;
                while ((newer = changes.poll()) != null) {
                    next = newer;
                }
                sse.emit(SseEvent.builder().name("job").id(next.jobId())
                        .data(StudioJson.mapper().writeValueAsString(JobView.of(next))).build());
                if (next.status().isFinal()) {
                    return;
                }
            }
        } catch (UncheckedIOException e) {
            // the client went away: nothing to answer
        }
    }
}
