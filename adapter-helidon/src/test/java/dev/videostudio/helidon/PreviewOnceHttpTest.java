package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issue: a burst of poster requests started as many ffmpeg processes. Now they share one call. */
class PreviewOnceHttpTest {

    private static final String PATH = TimelineHttpService.PATH;

    @Test
    void aBurstOfPosterRequestsSharesOneCall(@TempDir Path media) throws Exception {
        try (TestServer server = TestServer.start(media)) {
            HttpResponse<String> up = server.upload(TestServer.shared("friday.mp4"));
            String asset = TestServer.json(up).get("asset_id").asText();
            String json = ("{'name': 'p', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video',"
                    + " 'clips': [{'id': 'c1', 'asset_id': '" + asset + "', 'start': 0, 'in': 0, 'out': 2}]}]}").replace('\'', '"');
            String id = TestServer.json(server.postJson(PATH, json)).get("timeline_id").asText();
            assertEquals(202, server.postJson(PATH + "/" + id + "/proxy", "{}").statusCode());
            JsonNode state;
            int waited = 0;
            do {
                Thread.sleep(100);
                state = TestServer.json(server.get(PATH + "/" + id + "/proxy"));
            } while ("processing".equals(state.get("status").asText()) && waited++ < 1200);
            assertEquals("ready", state.get("status").asText(), state.toString());

            double before = calls(server);
            List<CompletableFuture<HttpResponse<byte[]>>> burst = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                burst.add(server.client().sendAsync(HttpRequest.newBuilder(server.uri(PATH + "/" + id + "/poster")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            byte[] first = null;
            for (var f : burst) {
                HttpResponse<byte[]> r = f.join();
                assertEquals(200, r.statusCode());
                first = first == null ? r.body() : first;
                assertArrayEquals(first, r.body());
            }
            double made = calls(server) - before;
            assertTrue(made >= 1 && made <= 2, "8 concurrent requests, " + made + " calls that may run ffmpeg");
            double again = calls(server);
            assertEquals(200, server.get(PATH + "/" + id + "/poster").statusCode());
            assertTrue(calls(server) - again <= 1, "a made poster is found at once");
        }
    }

    private static double calls(TestServer server) {
        Matcher m = Pattern.compile("(?m)^studio_preview_calls_total(?:\\{[^}]*\\})? ([0-9.eE+]+)").matcher(server.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
