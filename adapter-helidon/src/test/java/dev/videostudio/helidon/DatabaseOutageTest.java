package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.job.JobStatus;
import dev.videostudio.postgres.LocalPostgres;
import dev.videostudio.postgres.PostgresDatabase;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database going away under a running api node and coming back: readiness DOWN, liveness
 * UP, requests 503 with Retry-After, and no queued job lost.
 */
class DatabaseOutageTest {

    @TempDir
    Path dir;

    @Test
    void aLostDatabaseIs503AndNotReadyThenEverythingResumes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // PostgreSQL runs as another user when the tests run as root: it must reach its folder
        java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dir.resolve("pg").resolve("data");
        LocalPostgres pg = LocalPostgres.start(data, port);
        Path media = dir.resolve("media");
        StudioConfig config = StudioConfig.builder().mediaRoot(media).build();
        HttpClient http = HttpClient.newHttpClient();
        try (PostgresDatabase apiDb = PostgresDatabase.connect(pg.url(), pg.user(), "")) {
            VideoStudio api = apiDb.configure(VideoStudio.builder().config(config), false).build();
            Config server = Config.builder().addSource(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1")))
                    .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
            WebServer web = StudioServer.start(api, server, StudioServer.NodeRole.API, apiDb);
            String base = "http://127.0.0.1:" + web.port();
            try {
                HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + AssetHttpService.PATH))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, up.statusCode(), up.body());
                var asset = http.send(TestServer.multipart(URI.create(base + AssetHttpService.PATH),
                        TestServer.shared("t-rex-roar.mp3"), "file", "roar.mp3"), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, asset.statusCode(), asset.body());
                String assetId = TestServer.json(asset).get("asset_id").asText();
                // queued: no node runs jobs yet
                var waveform = http.send(HttpRequest.newBuilder(URI.create(base + AssetHttpService.PATH + "/" + assetId + "/waveform"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                String jobId = TestServer.json(waveform).get("job_id").asText();

                pg.close();
                HttpResponse<String> ready = get(http, base + "/health/ready");
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("database"), ready.body());
                assertEquals(200, get(http, base + "/health/live").statusCode());
                HttpResponse<String> list = get(http, base + AssetHttpService.PATH);
                assertEquals(503, list.statusCode(), list.body());
                assertEquals("database_unavailable", TestServer.json(list).get("error").get("code").asText());
                assertTrue(list.headers().firstValue("Retry-After").isPresent());

                pg = LocalPostgres.start(data, port);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (get(http, base + "/health/ready").statusCode() != 200) {
                    assertTrue(System.nanoTime() < deadline, "never ready again");
                    Thread.sleep(200);
                }
                assertEquals(200, get(http, base + AssetHttpService.PATH).statusCode());
                // a worker comes: the job queued before the outage runs
                try (PostgresDatabase workerDb = PostgresDatabase.connect(pg.url(), pg.user(), "")) {
                    VideoStudio worker = workerDb.configure(VideoStudio.builder().config(config), true).build();
                    assertEquals(JobStatus.READY, worker.jobs().await(jobId, Duration.ofSeconds(60)).orElseThrow().status());
                    worker.close();
                }
                assertEquals("ready", TestServer.json(get(http, base + JobHttpService.PATH + "/" + jobId)).get("status").asText());
            } finally {
                web.stop();
                api.close();
            }
        } finally {
            pg.close();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
