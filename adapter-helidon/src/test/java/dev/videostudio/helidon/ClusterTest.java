package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.postgres.LocalPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed mode with real processes: two api nodes and worker nodes, each the real
 * server main in a child JVM, on one PostgreSQL and one media folder.
 */
class ClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** studio.waveform.recheck of the nodes: how long a deletion on one may go unseen on the other. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    @TempDir
    static Path media;
    private static LocalPostgres pg;
    private static final List<Process> processes = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static String api1;
    private static String api2;

    @BeforeAll
    static void startApiNodes() throws Exception {
        pg = LocalPostgres.start();
        Process a = node("api");
        Process b = node("api");
        api1 = "http://127.0.0.1:" + StudioServerTest.awaitPort(a);
        api2 = "http://127.0.0.1:" + StudioServerTest.awaitPort(b);
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        pg.close();
    }

    private static Process node(String role) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), StudioServer.class.getName())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("STUDIO_DATABASE_URL", pg.url());
        env.put("STUDIO_DATABASE_USER", pg.user());
        env.put("STUDIO_ROLE", role);
        env.put("STUDIO_MEDIA_ROOT", media.toString());
        env.put("STUDIO_WEB_ROOT", media.resolve("no-page").toString());
        env.put("SERVER_PORT", "0");
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("STUDIO_WAVEFORM_RECHECK", String.valueOf(RECHECK.toMillis() / 1000.0));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /**
     * api2 keeps a ready waveform's answers and remembers it ready: once api1 deletes the asset,
     * api2 must answer 404 within its recheck interval, not serve the kept bytes on.
     */
    private static void assertDeletionSeenWithinRecheck(String asset) throws Exception {
        String tile = AssetHttpService.PATH + "/" + asset + "/waveform?samples_per_pixel=1024&bits=8&format=dat&start=0&end=1";
        assertEquals(200, get(api2, tile).statusCode());
        assertEquals(200, get(api2, tile).statusCode(), "served again (now from what api2 keeps)");
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(api1 + AssetHttpService.PATH + "/" + asset))
                .timeout(Duration.ofSeconds(30)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        long deletedAt = System.nanoTime();
        int status;
        do {
            status = get(api2, tile).statusCode();
        } while (status == 200 && System.nanoTime() - deletedAt < RECHECK.toNanos() * 3);
        assertEquals(404, status, "api2 still served a deleted asset's waveform " + RECHECK.multipliedBy(3) + " after it was deleted");
    }

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String base, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String upload(String base, String name) throws Exception {
        HttpResponse<String> r = http.send(TestServer.multipart(URI.create(base + AssetHttpService.PATH),
                TestServer.shared(name), "file", name), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("asset_id").asText();
    }

    @Test
    void twoApiNodesAndWorkersShareJobsAndSurviveAKilledWorker() throws Exception {
        // no worker yet: jobs stay queued, so the 100 requests below surely meet a live job
        String audio = upload(api1, "outfoxing.mp3");
        String video = upload(api1, "tears-of-steel-battle-clip-medium.webm");
        assertEquals(200, get(api2, AssetHttpService.PATH + "/" + audio).statusCode(), "the other node sees the upload");

        Set<String> jobIds = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String base = i % 2 == 0 ? api1 : api2;
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + AssetHttpService.PATH + "/" + audio + "/waveform"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) {
            HttpResponse<String> r = c.get(90, TimeUnit.SECONDS);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
            jobIds.add(TestServer.json(r).get("job_id").asText());
        }
        assertEquals(1, jobIds.size(), "100 identical requests over two nodes made several jobs: " + jobIds);

        Process worker1 = node("worker");
        StudioServerTest.awaitPort(worker1);
        JsonNode waveform = awaitStatus(api2, AssetHttpService.PATH + "/" + audio + "/waveform", "ready");
        assertTrue(waveform.get("waveform").get("length").asInt() > 0);
        assertDeletionSeenWithinRecheck(audio);

        // a 30 s render, its worker killed with kill -9 mid-way
        String json = ("{'name': 'k', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video', "
                + "'clips': [{'id': 'c1', 'asset_id': '" + video + "', 'start': 0, 'in': 0, 'out': 30}]}]}").replace('\'', '"');
        HttpResponse<String> saved = post(api1, TimelineHttpService.PATH, json);
        assertEquals(201, saved.statusCode(), saved.body());
        String timeline = TestServer.json(saved).get("timeline_id").asText();
        HttpResponse<String> requested = post(api2, ProxyHttpService.PATH + "/" + timeline + "/proxy", "{}");
        assertTrue(requested.statusCode() == 202 || requested.statusCode() == 200, requested.body());
        String job = TestServer.json(requested).get("job_id").asText();
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode state;
        do {
            state = TestServer.json(get(api1, JobHttpService.PATH + "/" + job));
            assertTrue(System.nanoTime() < deadline, "the render never progressed: " + state);
            Thread.sleep(50);
        } while (!(state.get("status").asText().equals("processing") && state.get("progress").asDouble() > 0.05));
        assertTrue(state.get("progress").asDouble() < 1, "the render finished before the kill: " + state);
        worker1.destroyForcibly(); // SIGKILL
        worker1.waitFor(10, TimeUnit.SECONDS);

        Process worker2 = node("worker");
        String worker2Url = "http://127.0.0.1:" + StudioServerTest.awaitPort(worker2);
        JsonNode proxy = awaitStatus(api1, ProxyHttpService.PATH + "/" + timeline + "/proxy", "ready");
        assertEquals("ready", TestServer.json(get(api2, JobHttpService.PATH + "/" + job)).get("status").asText());
        Path file = media.resolve("video_proxies").resolve(timeline + ".webm");
        assertTrue(proxy.get("url").asText().contains(timeline), proxy.toString());
        double duration = probeDuration(file);
        assertEquals(30.0, duration, 0.2, "proxy duration");
        try (Stream<Path> files = Files.list(media.resolve("video_proxies"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".tmp")).toList(), "torn files");
        }
        // a worker serves health and metrics only; metrics name what it ran
        assertEquals(404, get(worker2Url, AssetHttpService.PATH).statusCode());
        String metrics = get(worker2Url, "/metrics").body();
        assertTrue(metrics.matches("(?s).*videostudio_jobs_finished_total\\{[^}]*status=\"ready\"[^}]*type=\"video_proxy\".*")
                || metrics.matches("(?s).*videostudio_jobs_finished_total\\{[^}]*type=\"video_proxy\"[^}]*status=\"ready\".*"), metrics);
        assertTrue(metrics.contains("videostudio_job_duration_seconds_bucket"), metrics);
        assertTrue(get(api1, "/metrics").body().contains("videostudio_jobs_queued{"), "the api node counts the cluster's queue");
        HttpResponse<String> ready = get(api2, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("database"), ready.body());
    }

    @Test
    void anUnreachableDatabaseStopsTheServerWithOneLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StudioServer.class.getName()).redirectErrorStream(true);
        pb.environment().put("STUDIO_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/nowhere");
        pb.environment().put("STUDIO_MEDIA_ROOT", media.toString());
        pb.environment().put("SERVER_PORT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("studio: cannot start: cannot connect to the database jdbc:postgresql://127.0.0.1:1/nowhere"), out);
        assertFalse(out.contains("\tat "), "one line, no stack trace:\n" + out);
    }

    private static JsonNode awaitStatus(String base, String path, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(base, path);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
            last = TestServer.json(r);
            if (status.equals(last.get("status").asText())) {
                return last;
            }
            assertTrue(!"failed".equals(last.get("status").asText()), last.toString());
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never became " + status + ": " + last);
    }

    private static double probeDuration(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return Double.parseDouble(out);
    }
}
