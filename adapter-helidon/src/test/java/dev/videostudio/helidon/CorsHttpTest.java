package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code studio.cors.allowed-origins}: Helidon CORS for the listed origins only, preflights without a token. */
class CorsHttpTest {

    @Test
    void onlyTheConfiguredOriginGetsCorsHeaders(@TempDir Path media) {
        try (TestServer server = TestServer.start(VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(media)).build(),
                Map.of("studio.auth.mode", "token", "studio.auth.tokens", "s=acme:viewer",
                        "studio.cors.allowed-origins", "https://editor.example"))) {
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri(AssetHttpService.PATH))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://editor.example")
                    .header("Access-Control-Request-Method", "GET")
                    .header("Access-Control-Request-Headers", "authorization").build());
            assertEquals(200, preflight.statusCode(), preflight.body());
            assertEquals("https://editor.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase().contains("authorization"));

            HttpResponse<String> allowed = server.send(HttpRequest.newBuilder(server.uri(AssetHttpService.PATH))
                    .header("Origin", "https://editor.example").header("Authorization", "Bearer s").build());
            assertEquals(200, allowed.statusCode());
            assertEquals("https://editor.example", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

            HttpResponse<String> other = server.send(HttpRequest.newBuilder(server.uri(AssetHttpService.PATH))
                    .header("Origin", "https://evil.example").header("Authorization", "Bearer s").build());
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS for another origin");
        }
    }
}
