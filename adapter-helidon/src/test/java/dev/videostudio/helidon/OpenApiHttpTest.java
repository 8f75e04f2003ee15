package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document is served at /openapi, and the contract check catches a response that drifts. */
class OpenApiHttpTest {

    @TempDir
    static Path media;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(media);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesTheDocumentAsYamlAndJson() {
        HttpResponse<String> yaml = server.get("/openapi");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.body().contains("openapi: 3.1.0") || yaml.body().contains("openapi: \"3.1.0\""), yaml.body());
        HttpResponse<String> json = server.send(HttpRequest.newBuilder(server.uri("/openapi"))
                .header("Accept", "application/json").build());
        assertEquals(200, json.statusCode());
        JsonNode doc = TestServer.json(json);
        assertEquals("3.1.0", doc.get("openapi").asText());
        for (String path : List.of("/api/media/video-assets", "/api/media/uploads", "/api/media/uploads/{upload_id}",
                "/api/media/video-assets/{asset_id}/waveform", "/api/generate/video/timeline/{timeline_id}/preview.gif",
                "/api/jobs/{job_id}", "/api/jobs/{job_id}/events", "/media/{folder}/{file}", "/health", "/metrics")) {
            assertTrue(doc.get("paths").has(path), path);
        }
        assertTrue(doc.at("/paths/~1api~1jobs~1{job_id}").has("delete"));
    }

    /** The check itself: a real answer against a schema that asks for something else fails. */
    @Test
    void aResponseThatDriftsFromTheDocumentFails() {
        HttpResponse<String> list = server.get("/api/media/video-assets");
        assertEquals(200, list.statusCode());
        HttpRequest fake = HttpRequest.newBuilder(server.uri("/api/jobs/j_x")).build();
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> OpenApiContract.check(fake, withStatus(list, 200)));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        AssertionError undocumented = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> OpenApiContract.check(fake, withStatus(list, 418)));
        assertTrue(undocumented.getMessage().contains("status 418 is not described"), undocumented.getMessage());
    }

    /** The list's body ([]) presented as another status or route. */
    private static HttpResponse<String> withStatus(HttpResponse<String> r, int status) {
        return new HttpResponse<>() {
            @Override public int statusCode() { return status; }
            @Override public HttpRequest request() { return r.request(); }
            @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
            @Override public java.net.http.HttpHeaders headers() { return r.headers(); }
            @Override public String body() { return r.body(); }
            @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
            @Override public java.net.URI uri() { return r.uri(); }
            @Override public java.net.http.HttpClient.Version version() { return r.version(); }
        };
    }
}
