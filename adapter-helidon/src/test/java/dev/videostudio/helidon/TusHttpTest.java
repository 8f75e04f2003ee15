package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.ffmpeg.MediaInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tus 1.0.0 against the real server: the protocol, its errors, resumption after a drop and a restart. */
class TusHttpTest {

    private static final String PATH = TusHttpService.PATH;
    private static final String OFFSET_TYPE = "application/offset+octet-stream";

    @TempDir
    static Path media;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(media, c -> c.toBuilder().uploadLimitBytes(20_000_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void optionsDescribesTheServer() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(PATH))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, r.statusCode());
        assertEquals("1.0.0", header(r, "Tus-Resumable"));
        assertEquals("1.0.0", header(r, "Tus-Version"));
        assertEquals("20000000", header(r, "Tus-Max-Size"));
        for (String ext : new String[] {"creation", "creation-with-upload", "termination", "expiration", "checksum"}) {
            assertTrue(Arrays.asList(header(r, "Tus-Extension").split(",")).contains(ext), ext);
        }
        assertTrue(header(r, "Tus-Checksum-Algorithm").contains("sha1"));
    }

    @Test
    void chunksWithChecksumsBecomeTheSameAssetAsAMultipartUpload() throws Exception {
        Path file = TestServer.shared("flower.mp4");
        byte[] bytes = Files.readAllBytes(file);
        String location = create(server, bytes.length, "flower.mp4");
        assertTrue(location.startsWith(PATH + "/u_"), location);

        int[] cuts = {0, 300_000, 700_000, bytes.length};
        HttpResponse<String> last = null;
        for (int i = 0; i + 1 < cuts.length; i++) {
            byte[] chunk = Arrays.copyOfRange(bytes, cuts[i], cuts[i + 1]);
            last = patch(server, location, cuts[i], chunk, "sha1 " + sha1(chunk));
            assertEquals(204, last.statusCode(), last.body());
            assertEquals(String.valueOf(cuts[i + 1]), header(last, "Upload-Offset"));
            assertEquals("1.0.0", header(last, "Tus-Resumable"));
        }
        String assetId = header(last, "Asset-Id");
        assertTrue(assetId.startsWith("a_"), assetId);

        HttpResponse<String> got = server.get(location);
        assertEquals(200, got.statusCode(), got.body());
        JsonNode a = TestServer.json(got);
        MediaInfo expected = server.studio().ffmpeg().probe(file);
        assertEquals(assetId, a.get("asset_id").asText());
        assertEquals("flower.mp4", a.get("filename").asText());
        assertEquals(expected.kind(), a.get("kind").asText());
        assertEquals(expected.demuxer(), a.get("demuxer").asText());
        assertEquals(expected.durationS(), a.get("duration_s").asDouble(), 1e-6);
        assertEquals(bytes.length, a.get("size_bytes").asLong());
        Path stored = server.mediaRoot().resolve("video_assets").resolve(a.get("stored_name").asText());
        assertArrayEquals(bytes, Files.readAllBytes(stored));
        assertEquals(200, server.get("/api/media/video-assets/" + assetId).statusCode());
        assertFalse(Files.exists(server.mediaRoot().resolve("uploads").resolve(location.substring(PATH.length() + 1) + ".bin")));

        HttpResponse<String> head = head(server, location);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(bytes.length), header(head, "Upload-Offset"));
        assertEquals(assetId, header(head, "Asset-Id"));
    }

    @Test
    void creationWithUploadInOneRequest() throws Exception {
        byte[] bytes = Files.readAllBytes(TestServer.shared("t-rex-roar.mp3"));
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(PATH))
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(bytes.length))
                .header("Upload-Metadata", "filename " + b64("roar.mp3") + ",filetype " + b64("audio/mpeg"))
                .header("Content-Type", OFFSET_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(String.valueOf(bytes.length), header(r, "Upload-Offset"));
        assertFalse(header(r, "Upload-Expires").isEmpty());
        JsonNode a = TestServer.json(server.get(header(r, "Location")));
        assertEquals(header(r, "Asset-Id"), a.get("asset_id").asText());
        assertEquals("roar.mp3", a.get("filename").asText());
        assertEquals("audio", a.get("kind").asText());
    }

    @Test
    void protocolErrors() throws Exception {
        byte[] bytes = Files.readAllBytes(TestServer.shared("t-rex-roar.mp3"));
        String location = create(server, bytes.length, "roar.mp3");
        byte[] first = Arrays.copyOf(bytes, 1000);

        HttpResponse<String> wrongOffset = patch(server, location, 5, first, null);
        assertEquals(409, wrongOffset.statusCode());
        assertEquals("offset_mismatch", TestServer.json(wrongOffset).at("/error/code").asText());
        assertEquals("0", header(wrongOffset, "Upload-Offset"));

        HttpResponse<String> wrongType = server.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(first)).build());
        assertEquals(415, wrongType.statusCode());

        HttpResponse<String> noVersion = server.send(HttpRequest.newBuilder(server.uri(location))
                .header("Upload-Offset", "0").header("Content-Type", OFFSET_TYPE)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(first)).build());
        assertEquals(412, noVersion.statusCode());
        assertEquals("1.0.0", header(noVersion, "Tus-Version"));

        HttpResponse<String> badSum = patch(server, location, 0, first, "sha1 " + sha1(new byte[] {1}));
        assertEquals(460, badSum.statusCode());
        assertEquals("checksum_mismatch", TestServer.json(badSum).at("/error/code").asText());
        assertEquals("0", header(head(server, location), "Upload-Offset"), "a chunk with a wrong checksum is dropped");

        HttpResponse<String> pastEnd = patch(server, location, 0, Arrays.copyOf(bytes, bytes.length + 10), null);
        assertEquals(413, pastEnd.statusCode());
        assertEquals("0", header(head(server, location), "Upload-Offset"));

        HttpResponse<String> tooBig = server.send(HttpRequest.newBuilder(server.uri(PATH))
                .header("Tus-Resumable", "1.0.0").header("Upload-Length", "20000001")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(413, tooBig.statusCode());
        assertEquals("too_large", TestServer.json(tooBig).at("/error/code").asText());

        HttpResponse<String> noLength = server.send(HttpRequest.newBuilder(server.uri(PATH))
                .header("Tus-Resumable", "1.0.0").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, noLength.statusCode());

        assertEquals(404, head(server, PATH + "/u_unknown").statusCode());
        assertEquals(404, patch(server, PATH + "/u_unknown", 0, first, null).statusCode());
        assertEquals(400, head(server, PATH + "/bad.id").statusCode());

        HttpResponse<String> incomplete = server.get(location);
        assertEquals(409, incomplete.statusCode());
        assertEquals("upload_incomplete", TestServer.json(incomplete).at("/error/code").asText());
    }

    @Test
    void terminationRemovesTheUpload() throws Exception {
        String location = create(server, 5000, "x.mp3");
        assertEquals(204, patch(server, location, 0, new byte[1000], null).statusCode());
        HttpResponse<String> del = server.send(HttpRequest.newBuilder(server.uri(location))
                .header("Tus-Resumable", "1.0.0").DELETE().build());
        assertEquals(204, del.statusCode());
        assertEquals(404, head(server, location).statusCode());
        String id = location.substring(PATH.length() + 1);
        assertFalse(Files.exists(server.mediaRoot().resolve("uploads").resolve(id + ".bin")));
        assertFalse(Files.exists(server.mediaRoot().resolve("uploads").resolve(id + ".json")));
    }

    /** A playlist sent through tus is refused at its last byte like a multipart one, and leaves nothing. */
    @Test
    void hostileFileIsRefusedAndLeavesNothing() throws Exception {
        byte[] playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"
                .getBytes(StandardCharsets.UTF_8);
        long assetsBefore = count(server.mediaRoot().resolve("video_assets"));
        String location = create(server, playlist.length, "movie.mp4");
        HttpResponse<String> r = patch(server, location, 0, playlist, null);
        assertEquals(415, r.statusCode(), r.body());
        assertEquals("unsupported_media", TestServer.json(r).at("/error/code").asText());
        assertEquals(404, head(server, location).statusCode());
        String id = location.substring(PATH.length() + 1);
        assertFalse(Files.exists(server.mediaRoot().resolve("uploads").resolve(id + ".bin")));
        assertEquals(assetsBefore, count(server.mediaRoot().resolve("video_assets")));
    }

    /** The connection drops half way through a PATCH: what arrived is kept and the upload resumes from it. */
    @Test
    void resumesAfterADroppedConnection() throws Exception {
        byte[] bytes = Files.readAllBytes(TestServer.shared("friday.mp4"));
        String location = create(server, bytes.length, "friday.mp4");
        int sent = 200_000;
        try (Socket s = new Socket("127.0.0.1", server.base().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PATCH " + location + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                    + "Upload-Offset: 0\r\nContent-Type: " + OFFSET_TYPE + "\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, sent);
            out.flush();
            Thread.sleep(200);
        }
        long offset = awaitOffset(location, sent);
        assertEquals(sent, offset, "every byte that arrived before the drop is kept");
        HttpResponse<String> rest = patch(server, location, offset, Arrays.copyOfRange(bytes, (int) offset, bytes.length), null);
        assertEquals(204, rest.statusCode(), rest.body());
        JsonNode a = TestServer.json(server.get(location));
        Path stored = server.mediaRoot().resolve("video_assets").resolve(a.get("stored_name").asText());
        assertEquals(sha1(bytes), sha1(Files.readAllBytes(stored)), "the resumed upload is the file, byte for byte");
    }

    /** Half an upload, a restart of the whole studio on the same media root, then the other half. */
    @Test
    void resumesAfterARestart(@TempDir Path root) throws Exception {
        byte[] bytes = Files.readAllBytes(TestServer.shared("flower.webm"));
        String location;
        try (TestServer first = TestServer.start(root)) {
            location = create(first, bytes.length, "flower.webm");
            assertEquals(204, patch(first, location, 0, Arrays.copyOf(bytes, 250_000), null).statusCode());
        }
        try (TestServer second = TestServer.start(root)) {
            HttpResponse<String> h = head(second, location);
            assertEquals(200, h.statusCode());
            assertEquals("250000", header(h, "Upload-Offset"));
            assertEquals(String.valueOf(bytes.length), header(h, "Upload-Length"));
            HttpResponse<String> rest = patch(second, location, 250_000, Arrays.copyOfRange(bytes, 250_000, bytes.length),
                    "sha1 " + sha1(Arrays.copyOfRange(bytes, 250_000, bytes.length)));
            assertEquals(204, rest.statusCode(), rest.body());
            JsonNode a = TestServer.json(second.get(location));
            assertEquals("video", a.get("kind").asText());
            Path stored = second.mediaRoot().resolve("video_assets").resolve(a.get("stored_name").asText());
            assertEquals(sha1(bytes), sha1(Files.readAllBytes(stored)));
        }
    }

    @Test
    void abandonedUploadsExpire(@TempDir Path root) throws Exception {
        VideoStudio studio = VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(root)).build();
        try (TestServer s = TestServer.start(studio, Map.of("studio.upload.expiry", "2"))) {
            String location = create(s, 5000, "slow.mp3");
            // (alive before its expiry: every other test here; a loaded machine can take 2 s between two requests)
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            int status = 200;
            while (status == 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = head(s, location).statusCode();
            }
            assertEquals(410, status, "expired after 2 s without progress");
            HttpResponse<String> late = patch(s, location, 100, new byte[100], null);
            assertEquals(410, late.statusCode());
            assertEquals("upload_expired", TestServer.json(late).at("/error/code").asText());
            String id = location.substring(PATH.length() + 1);
            assertFalse(Files.exists(root.resolve("uploads").resolve(id + ".bin")), "an expired upload's bytes are removed");
        }
    }

    /**
     * Abandoned uploads lose their bytes in the background, with no request coming back for them;
     * but never an upload whose file another live process holds locked (it is writing it).
     */
    @Test
    void abandonedUploadsAreSweptInTheBackgroundButNotWhileAnotherProcessWrites(@TempDir Path root) throws Exception {
        VideoStudio studio = VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(root)).build();
        Path uploads = root.resolve("uploads");
        // another process, started first: it locks the file whose path it is given, as a writer does
        Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (TestServer s = TestServer.start(studio, Map.of("studio.upload.expiry", "2", "studio.upload.sweep", "1"));
             var toWriter = new java.io.PrintWriter(writer.getOutputStream(), true, StandardCharsets.UTF_8);
             var fromWriter = new java.io.BufferedReader(new java.io.InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String abandoned = createWithBody(s, 5000, new byte[100]);
            String held = createWithBody(s, 5000, new byte[100]);
            Path abandonedBin = uploads.resolve(abandoned.substring(PATH.length() + 1) + ".bin");
            Path heldBin = uploads.resolve(held.substring(PATH.length() + 1) + ".bin");
            toWriter.println(heldBin);
            assertEquals("locked", fromWriter.readLine());
            assertTrue(Files.exists(abandonedBin) && Files.exists(heldBin));

            // no request for either upload from here on: only the background sweep can remove anything
            assertTrue(awaitGone(abandonedBin, Duration.ofSeconds(20)), "the abandoned upload's bytes are removed");
            Path record = uploads.resolve(abandoned.substring(PATH.length() + 1) + ".json");
            assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.toFile()).get("expired").asBoolean(), "its record is a tombstone");
            Thread.sleep(2500); // two more sweeps, both past the held upload's expiry
            assertTrue(Files.exists(heldBin), "a file another live process holds is never removed");
            HttpResponse<String> terminated = s.send(HttpRequest.newBuilder(s.uri(held)).header("Tus-Resumable", "1.0.0")
                    .DELETE().build());
            assertEquals(423, terminated.statusCode(), "nor terminated: " + terminated.body());
            assertTrue(Files.exists(heldBin));

            toWriter.close(); // the other process lets go (and exits)
            assertEquals(0, writer.waitFor());
            assertTrue(awaitGone(heldBin, Duration.ofSeconds(20)), "once let go, it is swept too");
            assertEquals(410, head(s, abandoned).statusCode());
            assertEquals(410, head(s, held).statusCode());
        } finally {
            writer.destroy();
        }
    }

    /** Holds an OS lock (as {@code FileLocks} takes one) on the file named on stdin until stdin ends. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            Path file = Path.of(in.readLine());
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE);
                 var lock = ch.lock()) {
                System.out.println("locked");
                System.out.flush();
                while (in.read() >= 0) {
                    // wait for the end of stdin
                }
            }
        }
    }

    private static boolean awaitGone(Path file, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return !Files.exists(file);
    }

    /** A creation with upload: the upload and its first bytes in one request (no second round trip to race the expiry). */
    static String createWithBody(TestServer s, long length, byte[] body) {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri(PATH))
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(length))
                .header("Content-Type", OFFSET_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(String.valueOf(body.length), header(r, "Upload-Offset"));
        return header(r, "Location");
    }

    private long awaitOffset(String location, long want) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long offset = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> h = head(server, location);
            offset = Long.parseLong(header(h, "Upload-Offset"));
            if (offset == want) {
                return offset;
            }
            Thread.sleep(50);
        }
        return offset;
    }

    static String create(TestServer s, long length, String filename) {
        HttpResponse<String> r = s.send(HttpRequest.newBuilder(s.uri(PATH))
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(length))
                .header("Upload-Metadata", "filename " + b64(filename))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("0", header(r, "Upload-Offset"));
        return header(r, "Location");
    }

    static HttpResponse<String> patch(TestServer s, String location, long offset, byte[] body, String checksum) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(location))
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", String.valueOf(offset))
                .header("Content-Type", OFFSET_TYPE)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body));
        if (checksum != null) {
            b.header("Upload-Checksum", checksum);
        }
        return s.send(b.build());
    }

    static HttpResponse<String> head(TestServer s, String location) {
        return s.send(HttpRequest.newBuilder(s.uri(location)).header("Tus-Resumable", "1.0.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha1(byte[] bytes) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
