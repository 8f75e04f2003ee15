package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy endpoints on the real server with real renders of uploaded shared media. */
class ProxyHttpTest {

    private static final String PATH = "/api/generate/video/timeline";
    private static final Duration RENDER_WAIT = Duration.ofSeconds(120);

    static Path media;
    static TestServer server;
    static String friday;
    static String flower;
    static String roar;

    @BeforeAll
    static void start() throws IOException {
        media = Files.createTempDirectory("proxy-http");
        server = TestServer.start(media);
        friday = upload("friday.mp4");
        flower = upload("flower.mp4");
        roar = upload("t-rex-roar.mp3");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String upload(String name) {
        HttpResponse<String> r = server.upload(TestServer.shared(name));
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("asset_id").asText();
    }

    /** Saves a two-clip timeline (plus an optional sound) and returns its id. */
    private static String save(String idField, double secondOut, String soundAsset) {
        String sound = soundAsset == null ? "" : ",{'id': 'a1', 'kind': 'audio', 'clips': ["
                + "{'id': 'roar', 'asset_id': '" + soundAsset + "', 'start': 0.5, 'in': 0, 'out': 1}]}";
        String json = ("{" + idField + "'name': 'p', 'width': 640, 'height': 360, 'fps': 25, 'tracks': ["
                + "{'id': 'v1', 'kind': 'video', 'clips': ["
                + "  {'id': 'c1', 'asset_id': '" + friday + "', 'start': 0, 'in': 0.5, 'out': 2},"
                + "  {'id': 'c2', 'asset_id': '" + flower + "', 'start': 1.5, 'in': 0, 'out': " + secondOut + "}]}"
                + sound + "]}").replace('\'', '"');
        HttpResponse<String> r = server.postJson(PATH, json);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
        return TestServer.json(r).get("timeline_id").asText();
    }

    private static HttpResponse<String> post(String id, String body) {
        return server.postJson(PATH + "/" + id + "/proxy", body);
    }

    private static JsonNode waitForFinal(String id) {
        long deadline = System.nanoTime() + RENDER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = server.get(PATH + "/" + id + "/proxy");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode s = TestServer.json(r);
            if (!"processing".equals(s.get("status").asText())) {
                return s;
            }
            double p = s.get("progress").asDouble();
            assertTrue(p >= 0 && p <= 1, "progress " + p);
            sleep(100);
        }
        throw new AssertionError("the proxy of " + id + " did not finish in " + RENDER_WAIT);
    }

    private static long jobRecords() {
        try (Stream<Path> s = Files.list(media.resolve("jobs"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rendersOnceThenAnswersFromTheCacheWithoutAJob() throws IOException {
        String id = save("", 3, roar);
        assertEquals("none", TestServer.json(server.get(PATH + "/" + id + "/proxy")).get("status").asText());

        HttpResponse<String> first = post(id, "{\"force\": false}");
        assertEquals(202, first.statusCode(), first.body());
        assertEquals("1", first.headers().firstValue("Retry-After").orElseThrow());
        JsonNode processing = TestServer.json(first);
        assertEquals("processing", processing.get("status").asText());
        String job = processing.get("job_id").asText();
        assertTrue(processing.has("progress"));

        HttpResponse<String> second = post(id, "");
        assertEquals(202, second.statusCode(), second.body());
        assertEquals(job, TestServer.json(second).get("job_id").asText(), "a second request joins the running job");

        JsonNode done = waitForFinal(id);
        assertEquals("ready", done.get("status").asText(), done.toString());
        String url = done.get("url").asText();
        assertTrue(url.startsWith("/media/video_proxies/" + id + ".webm?v="), url);
        Path file = media.resolve("video_proxies").resolve(id + ".webm");
        assertTrue(Files.size(file) > 1000);
        // the url plays: served with ranges as the browser asks for it
        HttpResponse<byte[]> range = server.send(HttpRequest.newBuilder(server.uri(url)).header("Range", "bytes=0-99")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals(100, range.body().length);
        assertTrue(range.headers().firstValue("Content-Type").orElse("").startsWith("video/webm"),
                range.headers().toString());
        JsonNode jobRecord = TestServer.json(server.get(first.headers().firstValue("Location").orElseThrow()));
        assertEquals("video_proxy", jobRecord.get("type").asText());
        assertEquals("ready", jobRecord.get("status").asText());
        JsonNode timeline = TestServer.json(server.get(PATH + "/" + id));
        assertEquals("ready", timeline.get("proxy_preview").get("status").asText(), timeline.toString());
        assertEquals(url, timeline.get("proxy_preview").get("url").asText());
        assertFalse(timeline.get("proxy_preview").has("version"), "the stored render version is not part of the contract");

        long jobsBefore = jobRecords();
        HttpResponse<String> cached = post(id, "{\"force\": false}");
        assertEquals(200, cached.statusCode(), cached.body());
        JsonNode c = TestServer.json(cached);
        assertEquals("ready", c.get("status").asText());
        assertTrue(c.get("cached").asBoolean());
        assertEquals(url, c.get("url").asText());
        assertFalse(c.has("job_id"));
        assertEquals(jobsBefore, jobRecords(), "a cached answer creates no job");

        // poster and animated preview of the ready proxy
        HttpResponse<byte[]> poster = bytes(PATH + "/" + id + "/poster");
        assertEquals(200, poster.statusCode());
        assertEquals("image/jpeg", poster.headers().firstValue("Content-Type").orElseThrow());
        assertEquals((byte) 0xFF, poster.body()[0]);
        assertEquals((byte) 0xD8, poster.body()[1]);
        HttpResponse<byte[]> webp = bytes(PATH + "/" + id + "/preview.webp");
        assertEquals(200, webp.statusCode());
        String head = new String(webp.body(), 0, Math.min(64, webp.body().length), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("RIFF") && head.contains("WEBP") && head.contains("ANIM"), head);
        HttpResponse<byte[]> gif = bytes(PATH + "/" + id + "/preview.gif");
        assertEquals(200, gif.statusCode());
        assertEquals("image/gif", gif.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(new String(gif.body(), 0, 6, StandardCharsets.ISO_8859_1).equals("GIF89a"));
        assertEquals(320, (gif.body()[6] & 0xFF) | (gif.body()[7] & 0xFF) << 8, "320 px wide");
        int frames = gifFrames(gif.body());
        assertTrue(frames > 1 && frames <= 24, "an animation of at most the WebP's 24 frames: " + frames);
        assertTrue(webpFrames(webp.body()) <= frames, "the WebP merges repeated frames, the GIF keeps each");
        assertEquals(gif.headers().firstValue("ETag"), bytes(PATH + "/" + id + "/preview.gif").headers().firstValue("ETag"),
                "made once per content");

        // force renders again, with a new job
        HttpResponse<String> forced = post(id, "{\"force\": true}");
        assertEquals(202, forced.statusCode(), forced.body());
        assertNotEquals(job, TestServer.json(forced).get("job_id").asText());
        assertEquals("ready", waitForFinal(id).get("status").asText());
    }

    /** DELETE on a running render's job: 200 cancelled at once, its ffmpeg runs end, a second DELETE is 409. */
    @Test
    void cancellingTheJobOverHttpStopsItsFfmpegRuns() {
        StringBuilder clips = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            clips.append(i == 0 ? "" : ",").append("{'id': 'k").append(i).append("', 'asset_id': '").append(flower)
                    .append("', 'start': ").append(i * 5).append(", 'in': 0, 'out': 5}");
        }
        String json = ("{'name': 'long', 'width': 640, 'height': 360, 'fps': 30, 'tracks': [{'id': 'v1', 'kind': 'video', "
                + "'clips': [" + clips + "]}]}").replace('\'', '"');
        HttpResponse<String> saved = server.postJson(PATH, json);
        assertEquals(201, saved.statusCode(), saved.body());
        String id = TestServer.json(saved).get("timeline_id").asText();
        String job = TestServer.json(post(id, "{}")).get("job_id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (renderProcesses() == 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertTrue(renderProcesses() > 0, "the render started no ffmpeg");

        HttpResponse<String> cancel = server.delete("/api/jobs/" + job);
        assertEquals(200, cancel.statusCode(), cancel.body());
        assertEquals("cancelled", TestServer.json(cancel).get("status").asText());
        // none left, and none started afterwards: a quiet second within 15 s
        deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int quiet = 0;
        while (quiet < 20 && System.nanoTime() < deadline) {
            quiet = renderProcesses() == 0 ? quiet + 1 : 0;
            sleep(50);
        }
        assertEquals(20, quiet, "the cancelled render's ffmpeg runs stopped");
        assertEquals(0, renderProcesses());
        // the timeline no longer says processing (a page reopened later would ask for the render again)
        String preview = "";
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            preview = TestServer.json(server.get(PATH + "/" + id)).at("/proxy_preview/status").asText();
            if (!preview.equals("processing")) {
                break;
            }
            sleep(50);
        }
        assertEquals("none", preview);
        HttpResponse<String> again = server.delete("/api/jobs/" + job);
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("job_finished", TestServer.json(again).at("/error/code").asText());
        assertEquals(404, server.delete("/api/jobs/j_unknown").statusCode());
    }

    /** ffmpeg processes of this server writing render pieces (segments, sound chunks, joins). */
    private static long renderProcesses() {
        String segments = media.resolve("segments").toString();
        String proxies = media.resolve("video_proxies").toString();
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("ffmpeg"))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("")
                        .matches(".*(" + java.util.regex.Pattern.quote(segments) + "|" + java.util.regex.Pattern.quote(proxies) + ").*"))
                .count();
    }

    @Test
    void aRunningRenderIsPlayableAsAnHlsStreamThatEnds() {
        String id = save("", 4.5, roar); // 6 s: segments of 1, 0.5, 1.5 and 3 s
        JsonNode first = TestServer.json(post(id, "{\"force\": true}"));
        assertEquals("processing", first.get("status").asText());
        String streamUrl = null;
        long deadline = System.nanoTime() + RENDER_WAIT.toNanos();
        while (streamUrl == null && System.nanoTime() < deadline) {
            JsonNode s = TestServer.json(server.get(PATH + "/" + id + "/proxy"));
            if (!"processing".equals(s.get("status").asText())) {
                break; // finished before we looked: the stream is only advertised while rendering
            }
            if (s.has("stream_url")) {
                streamUrl = s.get("stream_url").asText();
                assertEquals(0.0, s.get("stream_start").asDouble());
                // the timeline's proxy_preview carries the same stream while it still renders
                JsonNode preview = TestServer.json(server.get(PATH + "/" + id)).get("proxy_preview");
                if ("processing".equals(preview.get("status").asText())) {
                    assertEquals(streamUrl, preview.path("stream_url").asText(null), preview.toString());
                }
            }
            sleep(20);
        }
        assertTrue(streamUrl != null && streamUrl.startsWith("/media/video_proxies/" + id + ".live-")
                && streamUrl.endsWith(".m3u8"), "stream_url while processing: " + streamUrl);
        // a seek: the answer names a playlist that plays that moment, or none yet
        HttpResponse<String> seek = post(id, "{\"from\": 4.2}");
        assertTrue(seek.statusCode() == 202 || seek.statusCode() == 200, seek.body());
        JsonNode seekState = TestServer.json(seek);
        if (seekState.has("stream_url")) {
            assertTrue(seekState.get("stream_start").asDouble() <= 4.2, seekState.toString());
        }
        assertEquals(400, post(id, "{\"from\": -1}").statusCode());
        assertEquals(400, post(id, "{\"from\": \"soon\"}").statusCode());
        assertEquals("ready", waitForFinal(id).get("status").asText());

        HttpResponse<String> m3u8 = server.get(streamUrl);
        assertEquals(200, m3u8.statusCode());
        assertEquals("application/vnd.apple.mpegurl", m3u8.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-cache", m3u8.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(m3u8.body().contains("#EXT-X-ENDLIST"), m3u8.body());
        String folder = streamUrl.substring(0, streamUrl.lastIndexOf('/') + 1);
        for (String line : m3u8.body().lines().toList()) {
            if (line.endsWith(".m4s") || line.contains("URI=")) {
                String file = line.contains("URI=") ? line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')) : line;
                assertEquals(200, server.get(folder + file).statusCode(), file);
            }
        }
    }

    @Test
    void anEditMakesTheProxyStaleAndANewerEditCancelsTheOutdatedRender() {
        String id = save("", 5, null);
        String firstJob = TestServer.json(post(id, "{}")).get("job_id").asText();
        assertEquals("ready", waitForFinal(id).get("status").asText());
        String firstUrl = TestServer.json(server.get(PATH + "/" + id + "/proxy")).get("url").asText();

        save("\"timeline_id\": \"" + id + "\",", 4, null);
        JsonNode stale = TestServer.json(server.get(PATH + "/" + id + "/proxy"));
        assertEquals("stale", stale.get("status").asText());
        assertEquals(firstUrl, stale.get("url").asText());
        assertEquals(409, server.get(PATH + "/" + id + "/poster").statusCode(), "no poster of content not rendered");

        HttpResponse<String> outdated = post(id, "{}");
        assertEquals(202, outdated.statusCode(), outdated.body());
        String outdatedJob = TestServer.json(outdated).get("job_id").asText();
        assertNotEquals(firstJob, outdatedJob);
        save("\"timeline_id\": \"" + id + "\",", 3.5, null);
        String newest = TestServer.json(post(id, "{}")).get("job_id").asText();
        assertNotEquals(outdatedJob, newest);
        Job cancelled = server.studio().jobs().find(outdatedJob).orElseThrow();
        assertEquals(JobStatus.CANCELLED, cancelled.status());

        JsonNode done = waitForFinal(id);
        assertEquals("ready", done.get("status").asText(), done.toString());
        assertNotEquals(firstUrl, done.get("url").asText());
    }

    @Test
    void aBrokenSourceFailsWithAnErrorNamingTheClip() throws IOException {
        String broken = upload("t-rex-roar.mp3");
        String id = save("", 3, broken);
        JsonNode asset = TestServer.json(server.get("/api/media/video-assets/" + broken));
        try (Stream<Path> files = Files.list(media.resolve("video_assets"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(broken + ".")
                    && !f.toString().endsWith(".json")).toList()) {
                Files.write(f, new byte[] {1, 2, 3}); // corrupt the stored sound file behind the store's back
            }
        }
        assertEquals(202, post(id, "{}").statusCode());
        JsonNode failed = waitForFinal(id);
        assertEquals("failed", failed.get("status").asText(), failed.toString());
        String message = failed.get("error").get("message").asText();
        assertTrue(message.contains("roar") && message.contains(broken), message);
        assertTrue(asset.has("filename"));
    }

    @Test
    void badRequestsGetTheContractErrors() {
        assertEquals(404, post("t_nothere", "{}").statusCode());
        assertEquals(404, server.get(PATH + "/t_nothere/proxy").statusCode());
        assertEquals(400, server.get(PATH + "/bad.id/proxy").statusCode());
        String id = save("", 3, null);
        HttpResponse<String> bad = post(id, "{\"force\": \"yes\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("malformed_request", TestServer.json(bad).get("error").get("code").asText());
        assertEquals(400, post(id, "[1]").statusCode());
        assertEquals(400, post(id, "{nope").statusCode());
        assertEquals(409, server.get(PATH + "/" + id + "/preview.webp").statusCode());
    }

    @Test
    void eachUploadedVideoGetsAnEditProxyInTheBackground() {
        Path editProxy = media.resolve("edit_proxies").resolve(flower + ".mkv");
        long deadline = System.nanoTime() + RENDER_WAIT.toNanos();
        while (!Files.exists(editProxy) && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertTrue(Files.exists(editProxy), "no edit proxy for " + flower);
        assertFalse(Files.exists(media.resolve("edit_proxies").resolve(roar + ".mkv")), "sound has no edit proxy");
    }

    /** Frames of an animated WebP: its ANMF chunks (FFmpeg's WebP demuxer cannot read animations). */
    private static int webpFrames(byte[] webp) {
        int frames = 0;
        for (int i = 12; i + 8 <= webp.length; ) {
            String fourcc = new String(webp, i, 4, StandardCharsets.ISO_8859_1);
            long size = (webp[i + 4] & 0xFFL) | (webp[i + 5] & 0xFFL) << 8 | (webp[i + 6] & 0xFFL) << 16 | (webp[i + 7] & 0xFFL) << 24;
            if (fourcc.equals("ANMF")) {
                frames++;
            }
            i += 8 + (int) (size + (size & 1));
        }
        return frames;
    }

    /** Frames of a GIF as ffprobe counts them. */
    private static int gifFrames(byte[] image) {
        try {
            Path f = Files.createTempFile(media, "frames", ".img");
            Files.write(f, image);
            Process p = new ProcessBuilder(server.studio().ffmpeg().ffprobeBinary().toString(), "-v", "error",
                    "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                    "-of", "csv=p=0", f.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return Integer.parseInt(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | NumberFormatException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<byte[]> bytes(String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
