package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaFileHttpTest {

    @TempDir
    static Path media;
    static TestServer server;
    static String url;
    static String assetId;
    static byte[] original;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(media);
        Path flower = TestServer.shared("flower.webm");
        original = Files.readAllBytes(flower);
        HttpResponse<String> r = server.upload(flower);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestServer.json(r);
        url = a.get("url").asText();
        assetId = a.get("asset_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheWholeFileWithTypeLengthAndEtag() {
        HttpResponse<byte[]> r = get(url);
        assertEquals(200, r.statusCode());
        assertArrayEquals(original, r.body());
        assertEquals("video/webm", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(original.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElseThrow());
        assertTrue(r.headers().firstValue("ETag").orElseThrow().startsWith("\""));
        HttpResponse<byte[]> busted = get(url + "?v=3");
        assertEquals(200, busted.statusCode(), "a cache-busting query is allowed");
        assertArrayEquals(original, busted.body());
    }

    @Test
    void answersRangesWith206() {
        HttpResponse<byte[]> r = get(url, "Range", "bytes=100-1099");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(original, 100, 1100), r.body());
        assertEquals("bytes 100-1099/" + original.length, r.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> open = get(url, "Range", "bytes=" + (original.length - 10) + "-");
        assertEquals(206, open.statusCode());
        assertArrayEquals(Arrays.copyOfRange(original, original.length - 10, original.length), open.body());

        HttpResponse<byte[]> suffix = get(url, "Range", "bytes=-500");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(Arrays.copyOfRange(original, original.length - 500, original.length), suffix.body());

        HttpResponse<byte[]> beyond = get(url, "Range", "bytes=0-99999999");
        assertEquals(206, beyond.statusCode());
        assertArrayEquals(original, beyond.body());
    }

    @Test
    void answersUnsatisfiableRangesWith416() {
        HttpResponse<byte[]> r = get(url, "Range", "bytes=" + original.length + "-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + original.length, r.headers().firstValue("Content-Range").orElseThrow());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("range_not_satisfiable"));
    }

    @Test
    void answersIfNoneMatchWith304() {
        String etag = get(url).headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> r = get(url, "If-None-Match", etag);
        assertEquals(304, r.statusCode());
        assertEquals(0, r.body().length);
        HttpResponse<byte[]> other = get(url, "If-None-Match", "\"something-else\"");
        assertEquals(200, other.statusCode());
    }

    @Test
    void contentTypesFollowTheExtension() throws IOException {
        Files.writeString(server.mediaRoot().resolve("waveforms/" + assetId + ".json"), "{\"version\":2}");
        HttpResponse<byte[]> json = get("/media/waveforms/" + assetId + ".json");
        assertEquals(200, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow());
        Files.write(server.mediaRoot().resolve("video_proxies/t_1.webm"), new byte[] {1, 2, 3});
        assertEquals("video/webm", get("/media/video_proxies/t_1.webm").headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void unknownFilesAre404() {
        HttpResponse<byte[]> r = get("/media/video_assets/a_doesnotexist.mp4");
        assertEquals(404, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"not_found\""));
    }

    @Test
    void privateFilesAreNeverServed() throws IOException {
        assertEquals(404, get("/media/video_assets/" + assetId + ".json").statusCode(), "asset metadata");
        Files.writeString(server.mediaRoot().resolve("jobs/j_1.json"), "{}");
        assertEquals(404, get("/media/jobs/j_1.json").statusCode());
        Files.writeString(server.mediaRoot().resolve("tmp/upload"), "x");
        assertEquals(404, get("/media/tmp/upload").statusCode());
        Files.writeString(server.mediaRoot().resolve("waveforms/.tmp-w_x-a.json"), "x");
        assertEquals(404, get("/media/waveforms/.tmp-w_x-a.json").statusCode(), "temporary files");
        assertEquals(404, get("/media/waveforms").statusCode(), "folders");
    }

    @Test
    void symbolicLinksAreNotFollowed(@TempDir Path outside) throws IOException {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(server.mediaRoot().resolve("waveforms/link.json"), secret);
        HttpResponse<byte[]> r = get("/media/waveforms/link.json");
        assertEquals(404, r.statusCode());
        assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("secret\""));
    }

    /** Sent over a raw socket so no client library normalises the path first. */
    @ParameterizedTest
    @ValueSource(strings = {
        "/media/../video_assets/x.mp4",
        "/media/video_assets/../../../../etc/passwd",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/video_assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/media/video_assets/..%2f..%2fetc%2fpasswd",
        "/media//etc/passwd",
        "/media/video_assets//etc/passwd",
        "/media/video_assets/..\\..\\etc\\passwd",
        "/media/%2fetc%2fpasswd",
    })
    void hostilePathsAreRefused(String path) throws IOException {
        String response = rawGet(path);
        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(status == 400 || status == 404, path + " -> " + response);
        assertFalse(response.contains("root:"), path + " leaked a file");
    }

    private static String rawGet(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.base().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the server may keep the connection open: read the head, then Content-Length bytes
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headAnswersWithoutBody() {
        HttpResponse<byte[]> r = server.send(HttpRequest.newBuilder(server.uri(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(String.valueOf(original.length), r.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void healthAndMetricsAnswer() {
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode h = TestServer.json(health);
        assertEquals("UP", h.get("status").asText());
        assertEquals(2, h.get("checks").size());
        HttpResponse<String> metrics = server.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE"), "Prometheus text format");
        assertTrue(metrics.body().contains("studio_uploads_total{result=\"accepted\""), "upload counter");
        assertTrue(metrics.body().contains("studio_upload_bytes_total"), "upload bytes counter");
        HttpResponse<String> none = server.get("/api/no/such/route");
        assertEquals(404, none.statusCode());
        assertEquals("not_found", TestServer.json(none).at("/error/code").asText());
    }
}
