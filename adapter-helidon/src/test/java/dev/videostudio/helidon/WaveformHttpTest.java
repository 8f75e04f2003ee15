package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaveformHttpTest {

    @TempDir
    static Path media;
    @TempDir
    static Path made;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(media);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String upload(Path file) {
        HttpResponse<String> r = server.upload(file);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("asset_id").asText();
    }

    static String waveformPath(String assetId) {
        return "/api/media/video-assets/" + assetId + "/waveform";
    }

    /** Polls the GET until it is not 202; returns the last answer. */
    static HttpResponse<String> awaitWaveform(String assetId, String query) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        HttpResponse<String> r;
        do {
            r = server.get(waveformPath(assetId) + query);
            if (r.statusCode() != 202) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return r;
    }

    static Path lavfi(String name, String source, double seconds) throws Exception {
        Path out = made.resolve(name);
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source,
                "-t", String.valueOf(seconds), out.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void answers202ThenReadyFromTheFile() throws Exception {
        String id = upload(TestServer.shared("LluviasDeMayo.flac"));
        assertEquals("idle", TestServer.json(server.get("/api/media/video-assets/" + id)).get("waveformStatus").asText());
        HttpResponse<String> first = server.get(waveformPath(id));
        assertEquals(202, first.statusCode(), first.body());
        JsonNode p = TestServer.json(first);
        assertEquals("processing", p.get("status").asText());
        assertFalse(p.get("job_id").asText().isEmpty());
        assertTrue(p.get("progress").asDouble() >= 0 && p.get("progress").asDouble() <= 1);
        assertTrue(first.headers().firstValue("Retry-After").isPresent());

        HttpResponse<String> ready = awaitWaveform(id, "");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode body = TestServer.json(ready);
        assertEquals("ready", body.get("status").asText());
        assertEquals(id, body.get("asset_id").asText());
        JsonNode w = body.get("waveform");
        assertEquals(2, w.get("version").asInt());
        assertEquals(1, w.get("channels").asInt());
        assertEquals(44100, w.get("sample_rate").asInt());
        assertEquals(256, w.get("samples_per_pixel").asInt());
        assertEquals(16, w.get("bits").asInt());
        int length = w.get("length").asInt();
        // 15.553333 s at 44.1 kHz is 685902 samples
        assertEquals((685902 + 255) / 256, length);
        assertEquals(2 * length, w.get("data").size());
        assertEquals(length, w.at("/bands/low").size());
        assertEquals(2, w.get("source_channels").asInt());
        assertTrue(Files.isRegularFile(media.resolve("waveforms").resolve(id + ".json")));
        try (var tmp = Files.list(media.resolve("tmp"))) {
            assertTrue(tmp.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "peak spill files left");
        }
        assertEquals("ready", TestServer.json(server.get("/api/media/video-assets/" + id)).get("waveformStatus").asText());
        // the job record says ready too
        JsonNode job = TestServer.json(server.get("/api/jobs/" + p.get("job_id").asText()));
        assertEquals("ready", job.get("status").asText());

        // coarser levels from the stored data
        JsonNode z = TestServer.json(server.get(waveformPath(id) + "?samples_per_pixel=1024&bits=8")).get("waveform");
        assertEquals(1024, z.get("samples_per_pixel").asInt());
        assertEquals(8, z.get("bits").asInt());
        assertEquals((length + 3) / 4, z.get("length").asInt());
        int max16 = 0;
        for (int i = 1; i < w.get("data").size(); i += 2) {
            max16 = Math.max(max16, w.get("data").get(i).asInt());
        }
        int max8 = 0;
        for (int i = 1; i < z.get("data").size(); i += 2) {
            max8 = Math.max(max8, z.get("data").get(i).asInt());
        }
        assertEquals(max16 >> 8, max8);
        JsonNode pps = TestServer.json(server.get(waveformPath(id) + "?pixels_per_second=10")).get("waveform");
        assertEquals(17 * 256, pps.get("samples_per_pixel").asInt());
        JsonNode split = TestServer.json(server.get(waveformPath(id) + "?channels=split")).get("waveform");
        assertEquals(2, split.get("channels").asInt());
        assertEquals(4 * length, split.get("data").size());

        HttpResponse<byte[]> dat = server.send(HttpRequest.newBuilder(server.uri(waveformPath(id) + "?format=dat&channels=split")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, dat.statusCode());
        ByteBuffer h = ByteBuffer.wrap(dat.body()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, h.getInt());
        assertEquals(0, h.getInt());
        assertEquals(44100, h.getInt());
        assertEquals(256, h.getInt());
        assertEquals(length, h.getInt());
        assertEquals(2, h.getInt());
        assertEquals(24 + length * 2 * 2 * 2, dat.body().length);

        assertEquals(400, server.get(waveformPath(id) + "?channels=left").statusCode());
        assertEquals(400, server.get(waveformPath(id) + "?samples_per_pixel=-3").statusCode());
    }

    @Test
    void concurrentGetsMakeOneJob() throws Exception {
        String id = upload(TestServer.shared("outfoxing.mp3"));
        int n = 20;
        CyclicBarrier barrier = new CyclicBarrier(n);
        Set<String> jobIds = ConcurrentHashMap.newKeySet();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                HttpResponse<String> r = server.get(waveformPath(id));
                statuses.add(r.statusCode());
                if (r.statusCode() == 202) {
                    jobIds.add(TestServer.json(r).get("job_id").asText());
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(n, statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s == 202 || s == 200), statuses.toString());
        assertEquals(1, jobIds.size(), "concurrent GETs started several jobs: " + jobIds);
        assertEquals(200, awaitWaveform(id, "").statusCode());
        // one job record on disk for this asset
        long records;
        try (var files = Files.list(media.resolve("jobs"))) {
            records = files.filter(f -> {
                try {
                    return Files.readString(f).contains("\"" + id + "\"");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
        assertEquals(1, records);
    }

    @Test
    void videoWithoutAudioIs422AndUnknownIds() {
        String id = upload(TestServer.shared("flower-noaudio.mp4"));
        HttpResponse<String> r = server.get(waveformPath(id));
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("no_audio", TestServer.json(r).at("/error/code").asText());
        assertEquals("unavailable", TestServer.json(server.get("/api/media/video-assets/" + id)).get("waveformStatus").asText());
        assertEquals(404, server.get(waveformPath("a_doesnotexist")).statusCode());
        HttpResponse<String> bad = server.get(waveformPath("bad.id"));
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("invalid_id", TestServer.json(bad).at("/error/code").asText());
    }

    @Test
    void silentAudioGivesAFlatValidWaveform() throws Exception {
        String id = upload(lavfi("silence.wav", "anullsrc=r=44100:cl=stereo", 3));
        HttpResponse<String> r = awaitWaveform(id, "");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode w = TestServer.json(r).get("waveform");
        assertEquals((3 * 44100 + 255) / 256, w.get("length").asInt());
        for (JsonNode v : w.get("data")) {
            assertEquals(0, v.asInt());
        }
        for (JsonNode v : w.at("/bands/high")) {
            assertEquals(0, v.asInt());
        }
    }

    @Test
    void fivePointOneSplitGivesSixChannelsInOrder() throws Exception {
        // channel k is a sine of amplitude (k + 1) / 8, so each channel's peak tells where it landed
        String expr = "0.125*sin(2*PI*440*t)|0.25*sin(2*PI*440*t)|0.375*sin(2*PI*440*t)|0.5*sin(2*PI*440*t)"
                + "|0.625*sin(2*PI*440*t)|0.75*sin(2*PI*440*t)";
        String id = upload(lavfi("surround.wav", "aevalsrc=" + expr + ":c=5.1:s=48000", 2));
        assertEquals(200, awaitWaveform(id, "").statusCode());
        JsonNode split = TestServer.json(server.get(waveformPath(id) + "?channels=split")).get("waveform");
        assertEquals(6, split.get("channels").asInt());
        int length = split.get("length").asInt();
        assertEquals((2 * 48000 + 255) / 256, length);
        for (int ch = 0; ch < 6; ch++) {
            int max = Integer.MIN_VALUE;
            for (int px = 0; px < length; px++) {
                max = Math.max(max, split.get("data").get((px * 6 + ch) * 2 + 1).asInt());
            }
            int expected = (int) Math.round((ch + 1) / 8.0 * 32767);
            assertTrue(Math.abs(max - expected) <= 40, "channel " + ch + ": peak " + max + ", expected about " + expected);
        }
        JsonNode merged = TestServer.json(server.get(waveformPath(id) + "?channels=merged")).get("waveform");
        assertEquals(1, merged.get("channels").asInt());
        assertEquals(6, merged.get("source_channels").asInt());
    }

    @Test
    void failedJobIsReportedAndPostRetries() throws Exception {
        Path copy = made.resolve("retry.flac");
        Files.copy(TestServer.shared("JustLikeTheWorld.flac"), copy);
        String id = upload(copy);
        var asset = server.studio().assets().find(id).orElseThrow();
        Path stored = server.studio().assets().file(asset);
        byte[] good = Files.readAllBytes(stored);
        Files.write(stored, new byte[] {0, 1, 2, 3}); // the stored file breaks after upload
        HttpResponse<String> r = awaitWaveform(id, "");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode failed = TestServer.json(r);
        assertEquals("failed", failed.get("status").asText());
        assertFalse(failed.at("/error/code").asText().isEmpty());
        assertFalse(failed.at("/error/message").asText().isEmpty());
        assertEquals("failed", TestServer.json(server.get("/api/media/video-assets/" + id)).get("waveformStatus").asText());
        // a GET does not start another job after a failure; a POST does
        assertEquals("failed", TestServer.json(server.get(waveformPath(id))).get("status").asText());
        Files.write(stored, good);
        HttpResponse<String> retry = server.postJson(waveformPath(id), "{}");
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals("ready", TestServer.json(awaitWaveform(id, "")).get("status").asText());
    }
}
