package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ffmpeg.MediaInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AssetHttpTest {

    private static final String PATH = "/api/media/video-assets";

    @TempDir
    static Path media;
    @TempDir
    static Path work;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(media);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Path> sharedFiles() throws IOException {
        Path dir = TestServer.shared("flower.mp4").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream();
        }
    }

    /** Every file of the shared media: media is stored with the facts ffprobe gives; the license text is refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedFiles")
    void uploadsEverySharedFile(Path file) throws IOException {
        HttpResponse<String> r = server.upload(file);
        JsonNode a = TestServer.json(r);
        if (file.getFileName().toString().endsWith(".md")) {
            assertEquals(415, r.statusCode(), r.body());
            assertEquals("unsupported_media", a.at("/error/code").asText());
            return;
        }
        assertEquals(201, r.statusCode(), r.body());
        MediaInfo expected = server.studio().ffmpeg().probe(file);
        String id = a.get("asset_id").asText();
        assertEquals(PATH + "/" + id, r.headers().firstValue("Location").orElseThrow());
        assertEquals(file.getFileName().toString(), a.get("filename").asText());
        assertEquals(expected.kind(), a.get("kind").asText());
        assertEquals(expected.contentType(), a.get("content_type").asText());
        assertEquals(Files.size(file), a.get("size_bytes").asLong());
        assertEquals(expected.durationS(), a.get("duration_s").asDouble(), 1e-6);
        assertEquals(expected.hasAudio(), a.get("has_audio").asBoolean());
        assertEquals(expected.hasVideo(), a.get("has_video").asBoolean());
        assertEquals(String.valueOf(expected.width()), a.get("width").asText());
        assertEquals(String.valueOf(expected.height()), a.get("height").asText());
        assertEquals(String.valueOf(expected.fps()), a.get("fps").asText());
        assertEquals(String.valueOf(expected.sampleRate()), a.get("sample_rate").asText());
        assertEquals(String.valueOf(expected.channels()), a.get("channels").asText());
        assertEquals("/media/video_assets/" + id + "." + expected.extension(), a.get("url").asText());
        assertEquals(server.studio().waveforms().status(id).name().toLowerCase(), a.get("waveformStatus").asText());
        assertTrue(a.get("created_at").asText().endsWith("Z"), a.get("created_at").asText());
        Path stored = server.mediaRoot().resolve("video_assets/" + id + "." + expected.extension());
        assertEquals(-1L, Files.mismatch(file, stored), "the stored file is the upload, byte for byte");

        HttpResponse<String> one = server.get(PATH + "/" + id);
        assertEquals(200, one.statusCode());
        assertEquals(a.get("url"), TestServer.json(one).get("url"));
    }

    @Test
    void factsThatNeedCare() {
        JsonNode rotated = uploaded("rotate-buck-bunny.mp4");
        assertEquals(1080, rotated.get("width").asInt());
        assertEquals(1920, rotated.get("height").asInt());
        assertEquals(6, rotated.get("channels").asInt());
        JsonNode cover = uploaded("music-kevin-macleod-cc0.mp3");
        assertEquals("audio", cover.get("kind").asText());
        assertFalse(cover.get("has_video").asBoolean());
        assertTrue(cover.get("width").isNull());
        assertEquals("unavailable", uploaded("flower-noaudio.mp4").get("waveformStatus").asText());
        JsonNode silent = uploaded("stream-of-water-audioless.webm");
        assertTrue(silent.get("has_audio").asBoolean(), "a silent track is still audio");
        assertEquals(21.978, uploaded("flower-vfr.mp4").get("fps").asDouble(), 0.001);
        JsonNode audioFirst = uploaded("friday.mp4");
        assertEquals("video", audioFirst.get("kind").asText());
        assertEquals(640, audioFirst.get("width").asInt());
    }

    private static JsonNode uploaded(String name) {
        HttpResponse<String> r = server.upload(TestServer.shared(name));
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    void aPngIsAnImage() throws Exception {
        Path png = work.resolve("still.png");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", png.toString());
        HttpResponse<String> r = server.upload(png);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestServer.json(r);
        assertEquals("image", a.get("kind").asText());
        assertEquals("image/png", a.get("content_type").asText());
        assertTrue(a.get("duration_s").isNull());
        assertEquals(320, a.get("width").asInt());
        assertFalse(a.get("has_video").asBoolean());
        assertFalse(a.get("has_audio").asBoolean());
        assertEquals("unavailable", a.get("waveformStatus").asText());
        assertTrue(a.get("url").asText().endsWith(".png"));
    }

    @Test
    void aFolderInTheNameIsOnlyDisplayed() throws IOException {
        HttpResponse<String> r = server.upload(TestServer.shared("t-rex-roar.mp3"), "../../../etc/evil.mp4");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode a = TestServer.json(r);
        assertEquals("evil.mp4", a.get("filename").asText());
        String id = a.get("asset_id").asText();
        assertEquals("/media/video_assets/" + id + ".mp3", a.get("url").asText(), "extension from the content");
        assertTrue(Files.isRegularFile(server.mediaRoot().resolve("video_assets/" + id + ".mp3")));
        assertFalse(Files.exists(server.mediaRoot().resolve("../etc/evil.mp4")));
        assertFalse(Files.exists(media.getParent().resolve("etc")));
    }

    /** Hostile files disguised as MP4: each is refused with 415 and leaves nothing on disk. */
    @Test
    void hostileUploadsAreRefusedAndLeaveNothing() throws Exception {
        byte[] flower = Files.readAllBytes(TestServer.shared("flower.mp4"));
        Path indexLast = work.resolve("index-last.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:duration=2", "-c:v", "mpeg4", indexLast.toString());
        byte[] last = Files.readAllBytes(indexLast);
        String target = TestServer.shared("flower.webm").toAbsolutePath().toString();
        List<Object[]> cases = List.of(
                new Object[] {"empty.mp4", new byte[0], "empty"},
                new Object[] {"text.mp4", "Dear user,\nthis is not a video.\n".getBytes(StandardCharsets.UTF_8), "media"},
                new Object[] {"truncated.mp4", Arrays.copyOf(flower, flower.length / 2), "truncated"},
                new Object[] {"truncated-index-last.mp4", Arrays.copyOf(last, last.length - 300), "media"},
                new Object[] {"hls.mp4", ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n" + target
                        + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8), "not accepted"},
                new Object[] {"hls-url.mp4", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:1/x.ts\n#EXT-X-ENDLIST\n"
                        .getBytes(StandardCharsets.UTF_8), "not accepted"},
                new Object[] {"concat.mp4", ("ffconcat version 1.0\nfile " + target + "\n").getBytes(StandardCharsets.UTF_8),
                        "not accepted"},
                new Object[] {"stream.sdp.mp4", ("v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n"
                        + "m=audio 5004 RTP/AVP 96\na=rtpmap:96 opus/48000/2\n").getBytes(StandardCharsets.UTF_8), "not accepted"});
        int assetsBefore = server.studio().assets().list(null).size();
        List<String> before = filesOnDisk();
        for (Object[] c : cases) {
            Path file = work.resolve((String) c[0]);
            Files.write(file, (byte[]) c[1]);
            HttpResponse<String> r = server.upload(file);
            assertEquals(415, r.statusCode(), c[0] + ": " + r.body());
            JsonNode error = TestServer.json(r).get("error");
            assertEquals("unsupported_media", error.get("code").asText());
            assertTrue(error.get("message").asText().contains((String) c[2]), c[0] + ": " + error);
            assertEquals(before, filesOnDisk(), c[0] + " left a file");
        }
        assertEquals(assetsBefore, server.studio().assets().list(null).size());
    }

    /** A cancelled upload (the connection closes mid-body) is one warning line, no stack trace, nothing kept. */
    @Test
    void anUploadCutOffMidBodyLeavesNothingAndNoStackTrace() throws Exception {
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("dev.videostudio");
        root.addHandler(handler);
        try {
            List<String> before = filesOnDisk();
            int assetsBefore = server.studio().assets().list(null).size();
            byte[] head = ("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\n"
                    + "Content-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] part = Arrays.copyOf(Files.readAllBytes(TestServer.shared("friday.mp4")), 200_000);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.base().getPort())) {
                var out = socket.getOutputStream();
                out.write(("POST " + PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XB\r\n"
                        + "Content-Length: " + (head.length + 5_000_000) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.write(head);
                out.write(part);
                out.flush();
                Thread.sleep(300);
            }
            long deadline = System.currentTimeMillis() + 5000;
            while (records.stream().noneMatch(r -> r.getMessage().contains("aborted")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("upload aborted")), "one warning line");
            assertTrue(records.stream().noneMatch(r -> r.getThrown() != null || r.getLevel() == java.util.logging.Level.SEVERE),
                    "no stack trace: " + records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
            assertEquals(before, filesOnDisk(), "nothing kept");
            assertEquals(assetsBefore, server.studio().assets().list(null).size());
        } finally {
            root.removeHandler(handler);
        }
    }

    private static List<String> filesOnDisk() throws IOException {
        List<String> names = new ArrayList<>();
        for (String folder : new String[] {"video_assets", "tmp"}) {
            try (Stream<Path> s = Files.list(server.mediaRoot().resolve(folder))) {
                s.forEach(p -> names.add(folder + "/" + p.getFileName()));
            }
        }
        names.sort(null);
        return names;
    }

    @Test
    void aBodyWithoutTheFilePartIs400() throws IOException {
        HttpResponse<String> wrongPart = server.send(server.uploadRequest(TestServer.shared("t-rex-roar.mp3"), "media", "x.mp3"));
        assertEquals(400, wrongPart.statusCode(), wrongPart.body());
        assertEquals("missing_file", TestServer.json(wrongPart).at("/error/code").asText());
        HttpResponse<String> notMultipart = server.postJson(PATH, "{}");
        assertEquals(400, notMultipart.statusCode());
        assertEquals("missing_file", TestServer.json(notMultipart).at("/error/code").asText());
        HttpResponse<String> broken = server.send(HttpRequest.newBuilder(server.uri(PATH))
                .header("Content-Type", "multipart/form-data; boundary=abc")
                .POST(HttpRequest.BodyPublishers.ofString("--abc\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxx"))
                .build());
        assertEquals(400, broken.statusCode(), broken.body());
    }

    @Test
    void idsAreCheckedAndUnknownOnesAre404() {
        HttpResponse<String> unknown = server.get(PATH + "/a_doesnotexist");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", TestServer.json(unknown).at("/error/code").asText());
        HttpResponse<String> malformed = server.get(PATH + "/bad.id!");
        assertEquals(400, malformed.statusCode());
        assertEquals("invalid_id", TestServer.json(malformed).at("/error/code").asText());
        assertEquals(400, server.delete(PATH + "/%2e%2e").statusCode());
        assertEquals(404, server.delete(PATH + "/a_doesnotexist").statusCode());
    }

    @Test
    void listsAndDeletes() throws IOException {
        String id = uploaded("t-rex-roar.mp3").get("asset_id").asText();
        HttpResponse<String> list = server.get(PATH);
        assertEquals(200, list.statusCode());
        List<String> ids = new ArrayList<>();
        TestServer.json(list).forEach(a -> ids.add(a.get("asset_id").asText()));
        assertTrue(ids.contains(id));

        HttpResponse<String> deleted = server.delete(PATH + "/" + id);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals(404, server.get(PATH + "/" + id).statusCode());
        assertFalse(Files.exists(server.mediaRoot().resolve("video_assets/" + id + ".mp3")));
        assertFalse(Files.exists(server.mediaRoot().resolve("video_assets/" + id + ".json")));
        assertEquals(404, server.delete(PATH + "/" + id).statusCode());
    }

    @Test
    void deletingAnAssetRemovesItsWaveform() throws Exception {
        String id = uploaded("t-rex-roar.mp3").get("asset_id").asText();
        String jobId = TestServer.json(server.get(PATH + "/" + id + "/waveform")).get("job_id").asText();
        server.studio().jobs().await(jobId, java.time.Duration.ofSeconds(60));
        Path waveform = server.mediaRoot().resolve("waveforms/" + id + ".json");
        assertTrue(Files.exists(waveform), "the waveform was computed");

        assertEquals(204, server.delete(PATH + "/" + id).statusCode());
        assertFalse(Files.exists(waveform));
        assertFalse(Files.exists(server.mediaRoot().resolve("waveforms/" + id + ".dat")));
    }

    @Test
    void anAssetUsedByASavedTimelineCannotBeDeleted() {
        String id = uploaded("flower.mp4").get("asset_id").asText();
        String timeline = ("{'name': 'uses it', 'width': 640, 'height': 360, 'fps': 25, 'tracks': ["
                + "{'id': 'v1', 'kind': 'video', 'clips': [{'id': 'c1', 'asset_id': '" + id
                + "', 'start': 0, 'in': 0, 'out': 1}]}]}").replace('\'', '"');
        HttpResponse<String> saved = server.postJson("/api/generate/video/timeline", timeline);
        assertTrue(saved.statusCode() / 100 == 2, saved.body());
        HttpResponse<String> r = server.delete(PATH + "/" + id);
        assertEquals(409, r.statusCode());
        assertEquals("asset_in_use", TestServer.json(r).at("/error/code").asText());
        assertEquals(200, server.get(PATH + "/" + id).statusCode());
    }

    @Test
    void limitsAreCheckedWhileStreaming(@TempDir Path root) throws Exception {
        try (TestServer small = TestServer.start(root, c -> c.toBuilder().uploadLimitBytes(400_000)
                .maxDurationSeconds(10).maxFramePixels(640L * 360).build())) {
            // with a Content-Length the server refuses before reading; the client waits for
            // "100 Continue" first, or it may still be writing when the server closes (a race)
            HttpResponse<String> declared = small.send(HttpRequest.newBuilder(
                    small.uploadRequest(TestServer.shared("outfoxing.mp3"), "file", "outfoxing.mp3"), (k, v) -> true)
                    .expectContinue(true).build());
            assertEquals(413, declared.statusCode(), declared.body());
            assertEquals("too_large", TestServer.json(declared).at("/error/code").asText());

            // chunked, no length: the store counts bytes as they arrive and the server stops reading
            long size = 1L << 30;
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            // The answer is 413 and the connection closes; a client still writing may see the close
            // before the answer (Helidon does no lingering close: a known limit). Either way the
            // server must have stopped reading early.
            try {
                HttpResponse<String> chunked = small.send(chunkedUpload(small, size, sent));
                assertEquals(413, chunked.statusCode(), chunked.body());
                assertEquals("too_large", TestServer.json(chunked).at("/error/code").asText());
            } catch (java.io.UncheckedIOException closedWhileWriting) {
                assertTrue(sent.get() > 400_000, "the connection closed before the limit: " + closedWhileWriting);
            }
            assertTrue(sent.get() < size / 8, "the client could send " + sent.get() + " bytes of a refused upload");

            HttpResponse<String> wide = small.upload(TestServer.shared("flower-portrait-304x540.mp4"));
            assertEquals(201, wide.statusCode(), "304x540 is within 640x360 pixels: " + wide.body());
            Path hd = work.resolve("hd.mp4");
            ffmpeg("-f", "lavfi", "-i", "testsrc=size=1280x720:duration=1", hd.toString());
            HttpResponse<String> tooWide = small.upload(hd);
            assertEquals(413, tooWide.statusCode(), tooWide.body());
            assertEquals("frame_too_large", TestServer.json(tooWide).at("/error/code").asText());
            HttpResponse<String> fits = small.upload(TestServer.shared("trim-buck-bunny.webm"));
            assertEquals(201, fits.statusCode(), fits.body());
            Path longAudio = work.resolve("long.mp3");
            ffmpeg("-f", "lavfi", "-i", "sine=duration=12:sample_rate=8000", "-b:a", "8k", longAudio.toString());
            HttpResponse<String> tooLong = small.upload(longAudio);
            assertEquals(413, tooLong.statusCode(), tooLong.body());
            assertEquals("too_long", TestServer.json(tooLong).at("/error/code").asText());

            try (Stream<Path> left = Files.list(root.resolve("video_assets"))) {
                assertEquals(4, left.count(), "two assets, each a media file and its metadata");
            }
            try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
                assertEquals(0, left.count());
            }
        }
    }

    /** A multipart upload of {@code size} zero bytes with no Content-Length, counting what the client sent. */
    private static HttpRequest chunkedUpload(TestServer target, long size, java.util.concurrent.atomic.AtomicLong sent) {
        String boundary = "chunkedboundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        InputStream zeros = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return read(new byte[1], 0, 1) < 0 ? -1 : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                sent.addAndGet(n);
                return n;
            }
        };
        return HttpRequest.newBuilder(target.uri(PATH))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), zeros), new ByteArrayInputStream(tail))))
                .build();
    }

    @Test
    void assetsSurviveARestart(@TempDir Path root) {
        JsonNode before;
        try (TestServer first = TestServer.start(root)) {
            HttpResponse<String> r = first.upload(TestServer.shared("flower.webm"));
            assertEquals(201, r.statusCode(), r.body());
            before = TestServer.json(r);
        }
        try (TestServer second = TestServer.start(root)) {
            HttpResponse<String> list = second.get(PATH);
            JsonNode assets = TestServer.json(list);
            assertEquals(1, assets.size(), list.body());
            assertEquals(before, assets.get(0));
            assertEquals(200, second.get(before.get("url").asText()).statusCode());
        }
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(server.studio().ffmpeg().ffmpegBinary().toString(), "-nostdin", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
