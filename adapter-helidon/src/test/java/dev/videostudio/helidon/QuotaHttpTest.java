package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-tenant quotas: uploads per minute, stored bytes, jobs at once; each tenant counted on its own. */
class QuotaHttpTest {

    private static TestServer start(Path media, Map<String, String> quota) {
        Map<String, String> settings = new HashMap<>(quota);
        settings.put("studio.auth.mode", "token");
        settings.put("studio.auth.tokens", "a=ta:editor,b=tb:editor");
        return TestServer.start(VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(media)).build(), settings);
    }

    private static HttpResponse<String> upload(TestServer server, String token, String file) {
        HttpRequest r = TestServer.multipart(server.uri(AssetHttpService.PATH), TestServer.shared(file), "file", file);
        return server.send(HttpRequest.newBuilder(r, (k, v) -> true).header("Authorization", "Bearer " + token).build());
    }

    private static HttpResponse<String> send(TestServer server, String method, String path, String body, String token) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    @Test
    void uploadsPerMinuteAre429WithRetryAfterPerTenant(@TempDir Path media) {
        try (TestServer server = start(media, Map.of("studio.quota.uploads-per-minute", "2"))) {
            assertEquals(201, upload(server, "a", "t-rex-roar.mp3").statusCode());
            assertEquals(201, upload(server, "a", "t-rex-roar.mp3").statusCode());
            HttpResponse<String> third = upload(server, "a", "t-rex-roar.mp3");
            assertEquals(429, third.statusCode(), third.body());
            assertEquals("upload_rate_exceeded", TestServer.json(third).at("/error/code").asText());
            long wait = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(wait >= 1 && wait <= 60, "Retry-After " + wait);
            assertEquals(201, upload(server, "b", "t-rex-roar.mp3").statusCode(), "another tenant has its own count");
        }
    }

    @Test
    void storedBytesAre413AndTheUploadIsNotKept(@TempDir Path media) {
        try (TestServer server = start(media, Map.of("studio.quota.stored-bytes", "60000"))) {
            assertEquals(201, upload(server, "a", "t-rex-roar.mp3").statusCode()); // 39868 bytes
            HttpResponse<String> second = upload(server, "a", "t-rex-roar.mp3");
            assertEquals(413, second.statusCode(), second.body());
            assertEquals("storage_quota_exceeded", TestServer.json(second).at("/error/code").asText());
            assertEquals(1, TestServer.json(send(server, "GET", AssetHttpService.PATH, null, "a")).size(), "nothing kept");
            assertEquals(201, upload(server, "b", "t-rex-roar.mp3").statusCode(), "another tenant has its own quota");
        }
    }

    @Test
    void jobsAtOnceAre429WhileTheTenantsJobRuns(@TempDir Path media) {
        try (TestServer server = start(media, Map.of("studio.quota.concurrent-jobs", "1"))) {
            String video = TestServer.json(upload(server, "a", "flower.mp4")).get("asset_id").asText();
            String sound = TestServer.json(upload(server, "a", "JustLikeTheWorld.flac")).get("asset_id").asText();
            String json = ("{'name': 'q', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video',"
                    + " 'clips': [{'id': 'c1', 'asset_id': '" + video + "', 'start': 0, 'in': 0, 'out': 5}]}]}").replace('\'', '"');
            String timeline = TestServer.json(send(server, "POST", TimelineHttpService.PATH, json, "a")).get("timeline_id").asText();
            HttpResponse<String> render = send(server, "POST", TimelineHttpService.PATH + "/" + timeline + "/proxy", "{}", "a");
            assertEquals(202, render.statusCode(), render.body());
            HttpResponse<String> second = send(server, "GET", AssetHttpService.PATH + "/" + sound + "/waveform", null, "a");
            assertEquals(429, second.statusCode(), "a second job while the render runs: " + second.body());
            assertEquals("job_quota_exceeded", TestServer.json(second).at("/error/code").asText());
            assertTrue(second.headers().firstValue("Retry-After").isPresent());
            HttpResponse<String> again = send(server, "POST", TimelineHttpService.PATH + "/" + timeline + "/proxy", "{}", "a");
            assertEquals(202, again.statusCode(), "joining the running render is no new job: " + again.body());
        }
    }
}
