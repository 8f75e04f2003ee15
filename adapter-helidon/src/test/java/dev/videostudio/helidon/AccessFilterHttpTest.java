package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token mode on a real server: 401 with WWW-Authenticate, 403 by role, fail-closed routing, bounded JSON bodies. */
class AccessFilterHttpTest {

    @TempDir
    static Path media;
    static TestServer server;

    @BeforeAll
    static void start() {
        String adminDigest = HexFormat.of().formatHex(TokenAuthenticator.sha256("admin-secret"));
        server = TestServer.start(VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(media)).build(),
                Map.of("studio.auth.mode", "token",
                        "studio.auth.tokens", "viewer-secret=acme:viewer,editor-secret=acme:editor,sha256:"
                                + adminDigest + "=ops:admin",
                        "studio.auth.url-key", "k"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", token);
        }
        return server.send(b.build());
    }

    @Test
    void missingOrBadCredentialsAre401WithAChallenge() {
        HttpResponse<String> none = get(AssetHttpService.PATH, null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"studio\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("missing_credentials", TestServer.json(none).at("/error/code").asText());
        HttpResponse<String> bad = get(AssetHttpService.PATH, "Bearer wrong");
        assertEquals(401, bad.statusCode());
        assertTrue(bad.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        assertEquals(401, get(AssetHttpService.PATH, "Basic dXNlcjpwYXNz").statusCode());
        assertEquals(401, get(AssetHttpService.PATH, "Bearer sha256:" + HexFormat.of().formatHex(
                TokenAuthenticator.sha256("admin-secret"))).statusCode(), "a configured digest is not a token");
        assertEquals(200, get(AssetHttpService.PATH, "Bearer admin-secret").statusCode());
        assertEquals(200, get(AssetHttpService.PATH, "bearer viewer-secret").statusCode());
    }

    @Test
    void aRoleThatMayNotIs403() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(TimelineHttpService.PATH))
                .header("Authorization", "Bearer viewer-secret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("forbidden", TestServer.json(r).at("/error/code").asText());
        assertEquals(403, get("/metrics", "Bearer editor-secret").statusCode());
        assertEquals(200, get("/metrics", "Bearer admin-secret").statusCode());
        assertEquals(401, get("/metrics", null).statusCode());
    }

    @Test
    void healthAndThePageArePublicAndUnknownApiPathsAreRefused() {
        HttpResponse<String> health = get("/health", null);
        assertEquals(200, health.statusCode());
        assertTrue(!health.body().contains(media.toString()) && !health.body().contains("/usr/"),
                "public health shows no server path with auth on: " + health.body());
        assertEquals(404, get("/api/secret-admin", "Bearer admin-secret").statusCode());
        assertEquals(401, get("/%6detrics", null).statusCode(), "an encoded path is checked as routing reads it");
        assertEquals(401, get("/api/media/%76ideo-assets", null).statusCode());
        HttpResponse<String> put = server.send(HttpRequest.newBuilder(server.uri(AssetHttpService.PATH))
                .header("Authorization", "Bearer admin-secret").PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, put.statusCode(), put.body());
        assertTrue(get("/", null).statusCode() != 401, "the page itself asks for the token");
    }

    /** The issue: a refused upload's message showed the temporary file's full path. */
    @Test
    void aRefusedUploadNamesNoServerPath(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.mp4");
        java.nio.file.Files.writeString(text, "this is not a video ".repeat(100));
        HttpRequest up = HttpRequest.newBuilder(TestServer.multipart(server.uri(AssetHttpService.PATH), text, "file", "notes.mp4"),
                (k, v) -> true).header("Authorization", "Bearer editor-secret").build();
        HttpResponse<String> r = server.send(up);
        assertEquals(415, r.statusCode(), r.body());
        assertTrue(!r.body().contains(media.toString()) && !r.body().contains("/tmp"), r.body());
    }

    @Test
    void mediaNeedsASignatureEvenWithAToken() {
        HttpResponse<String> r = get("/media/video_assets/a_x.mp4", "Bearer admin-secret");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("invalid_signature", TestServer.json(r).at("/error/code").asText());
    }

    /** The issue: a 50 MB timeline sent chunked was accepted past the 8 MiB limit. */
    @Test
    void aChunkedJsonBodyIsBoundedWhileItStreams() {
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        // ofInputStream has no length: the client sends it chunked
        HttpRequest big = HttpRequest.newBuilder(server.uri(TimelineHttpService.PATH))
                .header("Authorization", "Bearer editor-secret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(
                        java.util.Collections.enumeration(java.util.Collections.nCopies(50,
                                (java.io.InputStream) null).stream().map(x -> (java.io.InputStream)
                                new java.io.ByteArrayInputStream(chunk)).toList()))))
                .build();
        HttpResponse<String> r;
        try {
            r = server.send(big);
        } catch (java.io.UncheckedIOException e) {
            return; // the server closed the connection while the client still sent: refused too
        }
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("too_large", TestServer.json(r).at("/error/code").asText());

        HttpResponse<String> proxy = server.send(HttpRequest.newBuilder(server.uri(TimelineHttpService.PATH + "/t_1/proxy"))
                .header("Authorization", "Bearer editor-secret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("{\"force\": false, \"pad\": \"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8))))
                .build());
        assertEquals(413, proxy.statusCode(), proxy.body());
    }

    @Test
    void anonymousModeListensOnLoopbackUnlessOpenedOnPurpose() {
        assertEquals("127.0.0.1", StudioServer.listenHost("0.0.0.0", AccessConfig.NONE));
        AccessConfig open = JwtAuthenticatorTest.config(Map.of("studio.auth.allow-anonymous-remote", "true"));
        assertEquals("0.0.0.0", StudioServer.listenHost("0.0.0.0", open));
        AccessConfig token = JwtAuthenticatorTest.config(Map.of("studio.auth.mode", "token"));
        assertEquals("0.0.0.0", StudioServer.listenHost("0.0.0.0", token));
        assertEquals("localhost", StudioServer.listenHost("localhost", AccessConfig.NONE));
    }
}
