package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.postgres.LocalPostgres;
import dev.videostudio.postgres.PostgresDatabase;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream in the distributed mode: an api node (auth on) answers, a worker node renders,
 * on one PostgreSQL and one media folder. The api node must name the worker's stream, serve it
 * signed, and carry a seek to the worker.
 */
class LiveStreamAcrossNodesTest {

    private static final String TOKEN = "live-cluster-secret";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path media;

    @Test
    void anApiNodeNamesServesAndSeeksTheStreamOfARenderOnAWorker() throws Exception {
        StudioConfig config = StudioConfig.builder().mediaRoot(media).build();
        HttpClient http = HttpClient.newHttpClient();
        try (LocalPostgres pg = LocalPostgres.start();
                PostgresDatabase apiDb = PostgresDatabase.connect(pg.url(), pg.user(), "");
                PostgresDatabase workerDb = PostgresDatabase.connect(pg.url(), pg.user(), "")) {
            VideoStudio api = apiDb.configure(VideoStudio.builder().config(config), false).build();
            VideoStudio worker = workerDb.configure(VideoStudio.builder().config(config), true).build();
            Config server = Config.builder().addSource(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                            "studio.storage.reserve", "0", "studio.auth.mode", "token",
                            "studio.auth.tokens", TOKEN + "=t1:editor", "studio.auth.url-key", "a-key-for-this-test-only")))
                    .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
            WebServer web = StudioServer.start(api, server, StudioServer.NodeRole.API, apiDb);
            String base = "http://127.0.0.1:" + web.port();
            try {
                Asset clip;
                try (InputStream in = Files.newInputStream(TestServer.shared("tears-of-steel-battle-clip-medium.webm"))) {
                    clip = worker.assets().ingest("t1", "clip.webm", in);
                }
                // 60 s: the same 30 s twice
                String json = ("{'name': 'live', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video', "
                        + "'clips': [{'id': 'c1', 'asset_id': '" + clip.assetId() + "', 'start': 0, 'in': 0, 'out': 30},"
                        + "{'id': 'c2', 'asset_id': '" + clip.assetId() + "', 'start': 30, 'in': 0, 'out': 30}]}]}").replace('\'', '"');
                HttpResponse<String> saved = send(http, base + TimelineHttpService.PATH, json);
                assertEquals(201, saved.statusCode(), saved.body());
                String id = TestServer.json(saved).get("timeline_id").asText();
                String proxy = base + ProxyHttpService.PATH + "/" + id + "/proxy";

                JsonNode first = TestServer.json(send(http, proxy, "{}"));
                assertEquals("processing", first.get("status").asText(), first.toString());
                String job = first.get("job_id").asText();
                JsonNode state = await(http, proxy, null, s -> s.has("stream_url"));
                String streamUrl = state.get("stream_url").asText();
                assertTrue(streamUrl.startsWith("/media/video_proxies/" + id + ".live-" + job + ".m3u8?"), streamUrl);
                assertTrue(streamUrl.contains("sig="), "signed: " + streamUrl);
                assertEquals(0.0, state.get("stream_start").asDouble());
                // the timeline's proxy_preview names it too
                JsonNode timeline = TestServer.json(send(http, base + TimelineHttpService.PATH + "/" + id, null));
                if ("processing".equals(timeline.path("proxy_preview").path("status").asText())) {
                    assertEquals(streamUrl, timeline.get("proxy_preview").path("stream_url").asText(null), timeline.toString());
                }

                // served by the api node's /media, each segment name in it signed
                HttpResponse<String> m3u8 = send(http, base + streamUrl, null);
                assertEquals(200, m3u8.statusCode(), m3u8.body());
                assertEquals("application/vnd.apple.mpegurl", m3u8.headers().firstValue("Content-Type").orElse(""));
                String segment = m3u8.body().lines().filter(l -> l.contains(".m4s")).findFirst().orElseThrow();
                assertTrue(segment.startsWith("/media/video_proxies/") && segment.contains("sig="), m3u8.body());
                HttpResponse<String> seg = send(http, base + segment, null);
                assertEquals(200, seg.statusCode());
                assertEquals(403, send(http, base + streamUrl.substring(0, streamUrl.indexOf('?')), null).statusCode(),
                        "unsigned");

                // a seek near the end, far ahead of the render: the worker moves its render there and
                // the api node hands out the playlist from that segment once it is written
                JsonNode seek = await(http, proxy, "{\"from\": 50.5}", s -> s.has("stream_url"));
                assertTrue(seek.get("stream_url").asText().contains(".from-"), "not the seek's playlist: " + seek);
                double start = seek.get("stream_start").asDouble();
                assertTrue(start >= 30 && start <= 50.5, seek.toString()); // the second clip starts a segment at 30 s
                HttpResponse<String> from = send(http, base + seek.get("stream_url").asText(), null);
                assertEquals(200, from.statusCode());
                assertTrue(from.body().contains(".m4s"), from.body());
                JsonNode main = TestServer.json(send(http, proxy, null));
                if ("processing".equals(main.get("status").asText())) {
                    String listed = send(http, base + main.get("stream_url").asText(), null).body();
                    assertTrue(sum(listed) < 50.5, "the main playlist already reached the seek: " + listed);
                }
                assertNotNull(await(http, proxy, null, s -> "ready".equals(s.get("status").asText())));
            } finally {
                web.stop();
                api.close();
                worker.close();
            }
        }
    }

    private static double sum(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).sum();
    }

    private static JsonNode await(HttpClient http, String url, String body, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(http, url, body);
            assertTrue(r.statusCode() == 200 || r.statusCode() == 202, r.statusCode() + " " + r.body());
            last = TestServer.json(r);
            if (done.test(last)) {
                return last;
            }
            assertTrue(!"failed".equals(last.get("status").asText()), last.toString());
            Thread.sleep(100);
        }
        throw new AssertionError(url + " never came: " + last);
    }

    /** GET, or POST of {@code json}, with the editor's token. */
    private static HttpResponse<String> send(HttpClient http, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
        if (json != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
