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

    static HttpResponse<byte[]> getBytes(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] gunzip(byte[] gz) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** ETag, If-None-Match and gzip on the plain JSON, a level's JSON, the {@code .dat} and the {@code .dat} with bands. */
    @Test
    void readyAnswersAreTaggedCompressedAndCached() throws Exception {
        String id = upload(lavfi("three-minutes.flac",
                "aevalsrc=0.6*sin(440*2*PI*t)*sin(0.2*t)|0.3*sin(3000*2*PI*t):s=44100", 180));
        assertEquals(200, awaitWaveform(id, "").statusCode());
        byte[] stored = Files.readAllBytes(media.resolve("waveforms").resolve(id + ".json"));
        assertTrue(Files.isRegularFile(media.resolve("waveforms").resolve(id + ".levels")), "the job writes the pyramid");
        for (String query : List.of("", "?samples_per_pixel=1024&bits=8", "?format=dat&samples_per_pixel=512",
                "?format=dat&bands=true&bits=8&samples_per_pixel=2048&start=10&end=20")) {
            String path = waveformPath(id) + query;
            HttpResponse<byte[]> plain = getBytes(path);
            assertEquals(200, plain.statusCode(), query);
            String tag = plain.headers().firstValue("ETag").orElseThrow();
            assertTrue(tag.matches("\"[0-9a-f]{32}\""), tag);
            assertEquals(query.isEmpty() ? "private, no-cache" : "private, max-age=31536000, immutable",
                    plain.headers().firstValue("Cache-Control").orElseThrow(), query);
            assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
            assertEquals("Accept-Encoding", plain.headers().firstValue("Vary").orElseThrow());
            assertTrue(plain.headers().firstValue("Server-Timing").orElseThrow().matches("waveform;dur=[0-9.]+"));
            if (query.isEmpty()) {
                // the plain GET is still the stored file, wrapped, byte for byte
                String head = "{\"asset_id\":\"" + id + "\",\"status\":\"ready\",\"waveform\":";
                assertEquals(head + new String(stored, java.nio.charset.StandardCharsets.UTF_8) + "}",
                        new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            HttpResponse<byte[]> gz = getBytes(path, "Accept-Encoding", "gzip, deflate, br");
            assertEquals(200, gz.statusCode());
            assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElseThrow(), query);
            // JSON text shrinks to well under half; binary peaks less so
            int most = query.contains("dat") ? plain.body().length : plain.body().length / 2;
            assertTrue(gz.body().length < most, query + ": " + gz.body().length + " of " + plain.body().length);
            assertTrue(java.util.Arrays.equals(plain.body(), gunzip(gz.body())), query);
            String gzTag = gz.headers().firstValue("ETag").orElseThrow();
            assertFalse(gzTag.equals(tag), "one tag per encoding");
            assertTrue(getBytes(path, "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding").isEmpty());

            HttpResponse<byte[]> again = getBytes(path, "If-None-Match", tag);
            assertEquals(304, again.statusCode(), query);
            assertEquals(0, again.body().length);
            assertEquals(tag, again.headers().firstValue("ETag").orElseThrow());
            assertEquals(304, getBytes(path, "If-None-Match", "\"other\", " + gzTag, "Accept-Encoding", "gzip").statusCode());
            assertEquals(200, getBytes(path, "If-None-Match", "\"0123\"").statusCode());
        }
        // the tag names the bytes: another level has another tag
        assertFalse(getBytes(waveformPath(id) + "?samples_per_pixel=512").headers().firstValue("ETag")
                .equals(getBytes(waveformPath(id) + "?samples_per_pixel=1024").headers().firstValue("ETag")));
        assertEquals("no-store", server.send(HttpRequest.newBuilder(server.uri(waveformPath(id)))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(400, server.get(waveformPath(id) + "?start=-1").statusCode());
        assertEquals(400, server.get(waveformPath(id) + "?start=5&end=4").statusCode());
        assertEquals(400, server.get(waveformPath(id) + "?format=dat&bands=yes").statusCode());
    }

    /**
     * A ready waveform is served from what the server keeps, without reading its asset again; a
     * deletion in this process ends that at once: the next request is a 404, not the kept bytes.
     */
    @Test
    void aDeletedAssetsKeptWaveformIsGoneAtOnce() throws Exception {
        String id = upload(lavfi("deleted.wav", "sine=f=220:r=22050", 20));
        assertEquals(200, awaitWaveform(id, "").statusCode());
        String tile = waveformPath(id) + "?samples_per_pixel=512&bits=8&format=dat&bands=true&start=0&end=5";
        HttpResponse<byte[]> first = getBytes(tile);
        assertEquals(200, first.statusCode());
        HttpResponse<byte[]> kept = getBytes(tile);
        assertEquals(200, kept.statusCode());
        assertTrue(java.util.Arrays.equals(first.body(), kept.body()));
        assertEquals(first.headers().firstValue("ETag"), kept.headers().firstValue("ETag"));
        String tag = kept.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, getBytes(tile, "If-None-Match", tag).statusCode());

        assertEquals(204, server.delete("/api/media/video-assets/" + id).statusCode());
        assertEquals(404, getBytes(tile).statusCode());
        assertEquals(404, getBytes(tile, "If-None-Match", tag).statusCode(), "no 304 for a deleted asset either");
        assertEquals(404, server.get(waveformPath(id)).statusCode());
    }

    /** Tiles of a span query put together equal the whole level; a level equals the stored data reduced. */
    @Test
    void tilesMakeTheWholeLevelAndLevelsReduceTheStoredData() throws Exception {
        String id = upload(lavfi("two-minutes.flac",
                "aevalsrc=0.7*sin(220*2*PI*t)*sin(0.5*t)+0.2*random(0):s=48000", 121.3));
        JsonNode w = TestServer.json(awaitWaveform(id, "")).get("waveform");
        int length = w.get("length").asInt();
        // a level equals the stored level reduced: min of mins, max of maxes, bands as root mean square
        JsonNode level = TestServer.json(server.get(waveformPath(id) + "?samples_per_pixel=4096")).get("waveform");
        assertEquals((length + 15) / 16, level.get("length").asInt());
        for (int p = 0; p < level.get("length").asInt(); p++) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            double sq = 0;
            int n = 0;
            for (int i = 16 * p; i < Math.min(length, 16 * p + 16); i++, n++) {
                lo = Math.min(lo, w.get("data").get(2 * i).asInt());
                hi = Math.max(hi, w.get("data").get(2 * i + 1).asInt());
                sq += Math.pow(w.at("/bands/mid").get(i).asInt(), 2);
            }
            assertEquals(lo, level.get("data").get(2 * p).asInt(), "min of pixel " + p);
            assertEquals(hi, level.get("data").get(2 * p + 1).asInt(), "max of pixel " + p);
            assertEquals(Math.round(Math.sqrt(sq / n)), level.at("/bands/mid").get(p).asInt(), "mid band of pixel " + p);
        }
        // tiles of 1024 pixels at 512 samples per pixel (10.9 s each), 8-bit with bands
        byte[] whole = getBytes(waveformPath(id) + "?format=dat&bands=true&bits=8&samples_per_pixel=512").body();
        int pixels = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
        assertEquals((length + 1) / 2, pixels);
        double tileSeconds = 1024 * 512 / 48000.0;
        int tiles = (pixels + 1023) / 1024;
        assertTrue(tiles >= 11);
        java.io.ByteArrayOutputStream peaks = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream[] bands = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream(),
                new java.io.ByteArrayOutputStream()};
        for (int i = 0; i < tiles; i++) {
            byte[] t = getBytes(waveformPath(id) + "?format=dat&bands=true&bits=8&samples_per_pixel=512&start="
                    + (i * tileSeconds) + "&end=" + ((i + 1) * tileSeconds)).body();
            int n = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
            assertEquals(Math.min(1024, pixels - 1024 * i), n, "tile " + i);
            assertEquals(24 + 5 * n, t.length);
            peaks.write(t, 24, 2 * n);
            for (int b = 0; b < 3; b++) {
                bands[b].write(t, 24 + 2 * n + b * n, n);
            }
        }
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        joined.write(whole, 0, 24);
        joined.write(peaks.toByteArray());
        for (var b : bands) {
            joined.write(b.toByteArray());
        }
        assertTrue(java.util.Arrays.equals(whole, joined.toByteArray()), "tiles put together differ from the level");
        // a span in the middle is widened to whole tiles; JSON says where it starts
        JsonNode span = TestServer.json(server.get(waveformPath(id) + "?samples_per_pixel=512&start=12&end=25"));
        assertEquals(1024, span.get("start_pixel").asInt());
        assertEquals(2048, span.get("waveform").get("length").asInt());

        // a waveform stored before pyramids existed gets its pyramid at its first level request, the same file
        Path levels = media.resolve("waveforms").resolve(id + ".levels");
        byte[] written = Files.readAllBytes(levels);
        Files.delete(levels);
        assertEquals(200, getBytes(waveformPath(id) + "?samples_per_pixel=8192&format=dat&bands=true").statusCode());
        assertTrue(java.util.Arrays.equals(written, Files.readAllBytes(levels)), "the pyramid built from the JSON differs");
    }
}
