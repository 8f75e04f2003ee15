package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk: below the reserve, uploads and renders are refused with 507 up front; a disk that fills
 * during an upload or a render gives 507 or a job failed with {@code insufficient_storage}, never a
 * 500, and leaves no partial file. The full-disk variants need a small tmpfs and are skipped where
 * mounting is not permitted (StorageFailureTest in core covers the same mapping with a test double).
 */
class StorageHttpTest {

    private static final String TIMELINES = TimelineHttpService.PATH;

    @Test
    void belowTheReserveUploadsAndRendersAre507AndHealthIsDown(@TempDir Path media) {
        try (TestServer server = TestServer.start(VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(media)).build(),
                Map.of("studio.storage.reserve", String.valueOf(Long.MAX_VALUE / 2)))) {
            HttpResponse<String> up = server.upload(TestServer.shared("t-rex-roar.mp3"));
            assertEquals(507, up.statusCode(), up.body());
            assertEquals("insufficient_storage", TestServer.json(up).at("/error/code").asText());
            HttpResponse<String> proxy = server.postJson(TIMELINES + "/t_1/proxy", "{}");
            assertEquals(507, proxy.statusCode(), proxy.body());
            HttpResponse<String> health = server.get("/health");
            assertEquals(503, health.statusCode(), health.body());
            JsonNode check = TestServer.json(health).get("checks").get(1);
            assertTrue(check.at("/data/free_bytes").asLong() > 0, health.body());
            assertEquals(200, server.get(AssetHttpService.PATH).statusCode(), "reading still works");
        }
    }

    @Test
    void healthReportsTheFreeSpace(@TempDir Path media) {
        try (TestServer server = TestServer.start(media)) {
            HttpResponse<String> health = server.get("/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"free_bytes\""), health.body());
        }
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code dir}, or skips the test where that is not permitted. */
    private static void mountTmpfs(Path dir, int megabytes) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (" + out.strip() + "): full-disk variant skipped");
    }

    private static void unmount(Path dir) throws Exception {
        new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor();
    }

    /** Regular files under {@code root}, leaving out the lock files live processes hold on their scratch folders. */
    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> !(f.startsWith(root.resolve("tmp")) && f.getFileName().toString().endsWith(".lock")))
                    .toList();
        }
    }

    @Test
    void aDiskThatFillsDuringAnUploadIs507AndLeavesNoPartialFile(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.bin");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 30; i++) {
                out.write(block);
            }
        }
        Path media = Files.createDirectory(dir.resolve("media"));
        mountTmpfs(media, 20);
        try (TestServer server = TestServer.start(media)) {
            HttpResponse<String> up = server.upload(big, "big.mp4");
            assertEquals(507, up.statusCode(), up.body());
            assertEquals("insufficient_storage", TestServer.json(up).at("/error/code").asText());
            assertFalse(up.body().contains(media.toString()), "no server path in the message: " + up.body());
            assertEquals(List.of(), filesUnder(media).stream().filter(f -> !f.startsWith(media.resolve("jobs"))).toList());
            HttpResponse<String> small = server.upload(TestServer.shared("t-rex-roar.mp3"));
            assertEquals(201, small.statusCode(), "the space is free again: " + small.body());
        } finally {
            unmount(media);
        }
    }

    @Test
    void aDiskThatFillsDuringARenderFailsTheJobWithInsufficientStorage(@TempDir Path dir) throws Exception {
        Path media = Files.createDirectory(dir.resolve("media"));
        mountTmpfs(media, 12);
        try (TestServer server = TestServer.start(media)) {
            HttpResponse<String> up = server.upload(TestServer.shared("flower.mp4"));
            assertEquals(201, up.statusCode(), up.body());
            String asset = TestServer.json(up).get("asset_id").asText();
            awaitQuiet(server);
            String json = ("{'name': 'full', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video',"
                    + " 'clips': [{'id': 'c1', 'asset_id': '" + asset + "', 'start': 0, 'in': 0, 'out': 5}]}]}").replace('\'', '"');
            HttpResponse<String> saved = server.postJson(TIMELINES, json);
            assertEquals(201, saved.statusCode(), saved.body());
            String timeline = TestServer.json(saved).get("timeline_id").asText();
            fill(media.resolve("filler"), 16 * 1024);
            HttpResponse<String> post = server.postJson(TIMELINES + "/" + timeline + "/proxy", "{}");
            assertTrue(post.statusCode() == 202 || post.statusCode() == 507, post.body());
            if (post.statusCode() == 202) {
                JsonNode state = awaitFinal(server, timeline);
                assertEquals("failed", state.get("status").asText(), state.toString());
                assertEquals("insufficient_storage", state.at("/error/code").asText(), state.toString());
                assertFalse(state.toString().contains(media.toString()), state.toString());
            }
            List<Path> partial = filesUnder(media).stream()
                    .filter(f -> f.getFileName().toString().startsWith(".tmp-") || f.startsWith(media.resolve("tmp"))
                            || f.startsWith(media.resolve("video_proxies")))
                    .toList();
            assertEquals(List.of(), partial, "no partial file");
        } finally {
            unmount(media);
        }
    }

    /** Writes until the disk is full, then frees {@code keepBytes} so that the next writes fail part way. */
    private static void fill(Path file, int keepBytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // the disk is full
        }
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() - keepBytes));
        }
    }

    /**
     * The edit proxy made after an upload runs in the background: wait until it is in place, or a
     * failing edit proxy would free its space after the disk was filled.
     */
    private static void awaitQuiet(TestServer server) throws InterruptedException {
        Path folder = server.studio().mediaRoot().editProxies();
        for (int i = 0; i < 600; i++) {
            try (Stream<Path> s = Files.list(folder)) {
                if (s.anyMatch(f -> !f.getFileName().toString().startsWith("."))) {
                    Thread.sleep(500); // its job record is written just after
                    return;
                }
            } catch (IOException e) {
                // not created yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the edit proxy was not made");
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    private static JsonNode awaitFinal(TestServer server, String timeline) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            JsonNode s = TestServer.json(server.get(TIMELINES + "/" + timeline + "/proxy"));
            if (!"processing".equals(s.get("status").asText())) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the render did not finish");
    }
}
