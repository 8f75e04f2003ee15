package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailHttpTest {

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

    private static String upload(String name) {
        return TestServer.json(server.upload(TestServer.shared(name))).get("asset_id").asText();
    }

    private static HttpResponse<byte[]> strip(String assetId) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/media/video-assets/" + assetId + "/thumbnails")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aVideoGetsOneStripOfFramesMadeOnceForConcurrentRequests() throws Exception {
        String id = upload("friday.mp4"); // 6.17 s, 16:9
        List<HttpResponse<byte[]>> answers = IntStream.range(0, 3)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> strip(id))).toList()
                .stream().map(CompletableFuture::join).toList();
        HttpResponse<byte[]> r = answers.getFirst();
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        int frames = Integer.parseInt(r.headers().firstValue("Thumbnail-Frames").orElseThrow());
        double interval = Double.parseDouble(r.headers().firstValue("Thumbnail-Interval").orElseThrow());
        int width = Integer.parseInt(r.headers().firstValue("Thumbnail-Width").orElseThrow());
        int height = Integer.parseInt(r.headers().firstValue("Thumbnail-Height").orElseThrow());
        assertEquals(7, frames, "one frame a second");
        assertEquals(6.17, frames * interval, 0.05);
        BufferedImage sprite = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(frames * width, sprite.getWidth());
        assertEquals(height, sprite.getHeight());
        assertTrue(spread(sprite, 0, width) > 10 && spread(sprite, (frames - 1) * width, width) > 10, "frames show a picture, first and last");
        for (HttpResponse<byte[]> other : answers) {
            assertArrayEquals(r.body(), other.body(), "the same strip for every concurrent request");
        }
        try (Stream<Path> made = Files.list(server.mediaRoot().resolve("edit_proxies"))) {
            assertEquals(1, made.filter(p -> p.getFileName().toString().startsWith(id + ".strip-")).count());
        }
    }

    @Test
    void theLastFrameOfTheStripShowsThePicture() throws Exception {
        String id = upload("flower.mp4"); // 5.06 s: six frames 0.84 s apart
        HttpResponse<byte[]> r = strip(id);
        int frames = Integer.parseInt(r.headers().firstValue("Thumbnail-Frames").orElseThrow());
        int width = Integer.parseInt(r.headers().firstValue("Thumbnail-Width").orElseThrow());
        BufferedImage sprite = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(6, frames);
        assertTrue(spread(sprite, (frames - 1) * width, width) > 10, "not a black tile");
    }

    @Test
    void soundAndUnknownAssetsHaveNone() {
        String song = upload("t-rex-roar.mp3");
        HttpResponse<byte[]> sound = strip(song);
        assertEquals(422, sound.statusCode());
        assertTrue(new String(sound.body()).contains("no_video"));
        assertEquals(404, strip("a_nothere").statusCode());
    }

    /** Standard deviation of the grey level in one frame of the sprite: a flat (empty) frame is near 0. */
    private static double spread(BufferedImage img, int x0, int width) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int x = x0; x < x0 + width; x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y);
                double g = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
                sum += g;
                sq += g * g;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }
}
