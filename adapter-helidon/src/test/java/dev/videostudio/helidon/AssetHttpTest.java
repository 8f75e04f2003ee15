package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetHttpTest {

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
    void uploadsAVideoAndReadsItBack() {
        HttpResponse<String> r = server.upload(TestServer.shared("flower.mp4"));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestServer.json(r);
        String id = a.get("asset_id").asText();
        assertEquals("/api/media/video-assets/" + id, r.headers().firstValue("Location").orElseThrow());
        assertEquals("video", a.get("kind").asText());
        assertEquals(960, a.get("width").asInt());
        HttpResponse<String> one = server.get("/api/media/video-assets/" + id);
        assertEquals(200, one.statusCode());
        assertEquals(id, TestServer.json(one).get("asset_id").asText());
    }

    @Test
    void rejectsAPlaylistAndLeavesNothing(@TempDir Path dir) throws IOException {
        Path hls = dir.resolve("clip.mp4");
        Files.writeString(hls, "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n/etc/passwd\n#EXT-X-ENDLIST\n");
        HttpResponse<String> r = server.upload(hls);
        assertEquals(415, r.statusCode(), r.body());
        assertEquals("unsupported_media", TestServer.json(r).at("/error/code").asText());
        try (Stream<Path> tmp = Files.list(server.studio().mediaRoot().assets())) {
            List<Path> left = tmp.filter(p -> p.getFileName().toString().startsWith(".tmp")).toList();
            assertTrue(left.isEmpty(), left.toString());
        }
        assertFalse(r.body().isEmpty());
    }
}
