package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioJson;
import dev.videostudio.VideoStudio;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobHandler;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobHttpTest {

    /** The real local scheduler whose waveform handler waits at a gate, so a test can hold a job running. */
    static final class GatedScheduler implements JobScheduler {
        final JobScheduler real;
        final CountDownLatch gate = new CountDownLatch(1);

        GatedScheduler(JobScheduler real) {
            this.real = real;
        }

        @Override
        public void register(JobType type, JobHandler handler) {
            if (type != JobType.ASSET_WAVEFORM) {
                real.register(type, handler);
                return;
            }
            real.register(type, ctx -> {
                gate.await(60, TimeUnit.SECONDS);
                handler.run(ctx);
            });
        }

        @Override public void start() { real.start(); }
        @Override public Job submit(JobType t, String k, Map<String, String> p) { return real.submit(t, k, p); }
        @Override public Optional<Job> find(String id) { return real.find(id); }
        @Override public Optional<Job> active(String key) { return real.active(key); }
        @Override public Optional<Job> latest(String key) { return real.latest(key); }
        @Override public boolean cancel(String id) { return real.cancel(id); }
        @Override public AutoCloseable subscribe(String id, Consumer<Job> l) { return real.subscribe(id, l); }
        @Override public void close() { real.close(); }
    }

    @Test
    void jobStateAndServerSentEventsUntilFinal(@TempDir Path media) throws Exception {
        try (TestServer server = TestServer.start(media)) {
            HttpResponse<String> up = server.upload(TestServer.shared("outfoxing.mp3"));
            String assetId = TestServer.json(up).get("asset_id").asText();
            HttpResponse<String> w = server.get("/api/media/video-assets/" + assetId + "/waveform");
            assertEquals(202, w.statusCode(), w.body());
            String jobId = TestServer.json(w).get("job_id").asText();

            HttpResponse<InputStream> sse = server.send(HttpRequest.newBuilder(server.uri("/api/jobs/" + jobId + "/events"))
                    .timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, sse.statusCode());
            assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            List<JsonNode> events = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(StudioJson.mapper().readTree(line.substring(5).trim()));
                    }
                }
            }
            assertTrue(!events.isEmpty(), "no events");
            JsonNode last = events.get(events.size() - 1);
            assertEquals("ready", last.get("status").asText());
            assertEquals(1.0, last.get("progress").asDouble());
            double before = -1;
            for (JsonNode e : events) {
                assertEquals(jobId, e.get("job_id").asText());
                assertTrue(e.get("progress").asDouble() >= before, "progress went backwards: " + events);
                before = e.get("progress").asDouble();
            }
            assertTrue(events.size() >= 2, "expected progress before the final state: " + events);

            JsonNode job = TestServer.json(server.get("/api/jobs/" + jobId));
            assertEquals(jobId, job.get("job_id").asText());
            assertEquals("asset_waveform", job.get("type").asText());
            assertEquals("ready", job.get("status").asText());
            assertEquals(1.0, job.get("progress").asDouble());
            assertTrue(job.has("error"));
            assertTrue(job.hasNonNull("created_at") && job.hasNonNull("updated_at"));
            assertTrue(!job.has("key") && !job.has("payload"));

            // a finished job's stream gives its final state at once and ends
            HttpResponse<String> again = server.get("/api/jobs/" + jobId + "/events");
            assertTrue(again.body().contains("\"status\":\"ready\""), again.body());

            assertEquals(404, server.get("/api/jobs/j_unknown").statusCode());
            assertEquals("invalid_id", TestServer.json(server.get("/api/jobs/no.pe")).at("/error/code").asText());
        }
    }

    @Test
    void aJobACrashLeftProcessingRunsAgainAfterRestart(@TempDir Path media) throws Exception {
        String assetId;
        try (TestServer first = TestServer.start(media)) {
            assetId = TestServer.json(first.upload(TestServer.shared("t-rex-roar.mp3"))).get("asset_id").asText();
        }
        // what a kill -9 in the middle of the waveform job leaves: its record, still processing
        java.time.Instant then = java.time.Instant.now().minusSeconds(30);
        Job crashed = new Job("j_crashed_waveform", JobType.ASSET_WAVEFORM, "waveform:" + assetId,
                dev.videostudio.job.JobStatus.PROCESSING, 0.3, null, then, then, Map.of("asset_id", assetId));
        java.nio.file.Files.write(media.resolve("jobs").resolve("j_crashed_waveform.json"),
                StudioJson.mapper().writeValueAsBytes(crashed));
        try (TestServer second = TestServer.start(media)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            JsonNode job;
            do {
                Thread.sleep(50);
                job = TestServer.json(second.get("/api/jobs/j_crashed_waveform"));
            } while (!job.get("status").asText().equals("ready") && System.nanoTime() < end);
            assertEquals("ready", job.get("status").asText(), job.toString());
            assertTrue(java.nio.file.Files.isRegularFile(media.resolve("waveforms").resolve(assetId + ".json")));
            HttpResponse<String> w = second.get("/api/media/video-assets/" + assetId + "/waveform");
            assertEquals(200, w.statusCode(), w.body());
        }
    }

    @Test
    void fullQueueIs429WithRetryAfter(@TempDir Path media) throws Exception {
        StudioConfig config = StudioConfig.builder().mediaRoot(media).jobConcurrency(1).jobQueueLength(1).build();
        dev.videostudio.MediaRoot root = new dev.videostudio.MediaRoot(media);
        GatedScheduler jobs = new GatedScheduler(JobScheduler.local(root, config));
        try (TestServer server = TestServer.start(VideoStudio.builder().config(config).jobScheduler(jobs).build())) {
            List<String> ids = new ArrayList<>();
            // audio only: video uploads also queue edit proxy jobs, which would fill the queue of one
            for (String name : List.of("t-rex-roar.mp3", "JustLikeTheWorld.flac", "LluviasDeMayo.flac")) {
                ids.add(TestServer.json(server.upload(TestServer.shared(name))).get("asset_id").asText());
            }
            String running = TestServer.json(server.get("/api/media/video-assets/" + ids.get(0) + "/waveform")).get("job_id").asText();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"processing".equals(TestServer.json(server.get("/api/jobs/" + running)).get("status").asText())
                    && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals("processing", TestServer.json(server.get("/api/media/video-assets/" + ids.get(0)))
                    .get("waveformStatus").asText());
            HttpResponse<String> queued = server.get("/api/media/video-assets/" + ids.get(1) + "/waveform");
            assertEquals(202, queued.statusCode(), queued.body());
            assertEquals("queued", TestServer.json(server.get("/api/jobs/" + TestServer.json(queued).get("job_id").asText()))
                    .get("status").asText());
            HttpResponse<String> busy = server.get("/api/media/video-assets/" + ids.get(2) + "/waveform");
            assertEquals(429, busy.statusCode(), busy.body());
            assertEquals("queue_full", TestServer.json(busy).at("/error/code").asText());
            assertTrue(busy.headers().firstValue("Retry-After").isPresent());
            jobs.gate.countDown();
            for (String id : ids) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int status;
                do {
                    status = server.get("/api/media/video-assets/" + id + "/waveform").statusCode();
                    Thread.sleep(20);
                } while (status != 200 && System.nanoTime() < until);
                assertEquals(200, status);
            }
        }
    }
}
