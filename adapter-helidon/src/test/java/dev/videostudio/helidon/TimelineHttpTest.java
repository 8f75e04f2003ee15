package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineHttpTest {

    private static final String PATH = "/api/generate/video/timeline";

    @TempDir
    static Path media;
    @TempDir
    static Path work;
    static TestServer server;
    static String video;
    static String audio;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(media);
        video = upload(TestServer.shared("flower.mp4"));
        audio = upload(TestServer.shared("t-rex-roar.mp3"));
        Path png = work.resolve("red.png");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=red:s=64x36",
                "-frames:v", "1", png.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        image = upload(png);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String upload(Path file) {
        HttpResponse<String> r = server.upload(file);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("asset_id").asText();
    }

    /** A timeline JSON: a video track with a trimmed clip and an image, an audio track. */
    private static String timeline(String idField, double videoOut) {
        return ("{" + idField + "'name': 'cut', 'width': 640, 'height': 360, 'fps': 25, 'tracks': ["
                + "{'id': 'v1', 'kind': 'video', 'clips': ["
                + "  {'id': 'c1', 'asset_id': '" + video + "', 'start': 0, 'in': 1, 'out': " + videoOut + "},"
                + "  {'id': 'c2', 'asset_id': '" + image + "', 'start': 5, 'in': 0, 'out': 2}]},"
                + "{'id': 'a1', 'kind': 'audio', 'clips': ["
                + "  {'id': 'c3', 'asset_id': '" + audio + "', 'start': 1, 'in': 0, 'out': 2, 'volume': 1.5}]}]}")
                .replace('\'', '"');
    }

    private static JsonNode created() {
        HttpResponse<String> r = server.postJson(PATH, timeline("", 4));
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    void createsReadsAndUpdates() {
        HttpResponse<String> r = server.postJson(PATH, timeline("", 4));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode t = TestServer.json(r);
        String id = t.get("timeline_id").asText();
        assertEquals(PATH + "/" + id, r.headers().firstValue("Location").orElseThrow());
        assertEquals(1, t.get("revision").asLong());
        assertEquals("none", t.at("/proxy_preview/status").asText());
        assertTrue(t.get("proxy_preview").has("url"), "the preview has all its fields: " + t.get("proxy_preview"));
        assertEquals(4.0, t.at("/tracks/0/clips/0/out").asDouble());
        assertEquals(1.5, t.at("/tracks/1/clips/0/volume").asDouble());

        HttpResponse<String> read = server.get(PATH + "/" + id);
        assertEquals(200, read.statusCode());
        assertEquals(t, TestServer.json(read));

        HttpResponse<String> updated = server.postJson(PATH, timeline("'timeline_id': '" + id + "',", 4.5));
        assertEquals(200, updated.statusCode(), updated.body());
        JsonNode u = TestServer.json(updated);
        assertEquals(id, u.get("timeline_id").asText());
        assertEquals(2, u.get("revision").asLong());
        assertEquals(4.5, u.at("/tracks/0/clips/0/out").asDouble());
        assertEquals(t.get("created_at"), u.get("created_at"));

        List<String> listed = new ArrayList<>();
        TestServer.json(server.get(PATH)).forEach(x -> listed.add(x.get("timeline_id").asText()));
        assertTrue(listed.contains(id), listed.toString());
    }

    @Test
    void invalidContentIs422WithOneDetailPerProblem() throws IOException {
        String body = ("{'tracks': [{'kind': 'video', 'clips': ["
                + "{'asset_id': '" + video + "', 'start': 0, 'in': 0, 'out': 60},"
                + "{'asset_id': 'a_unknown', 'start': 10, 'in': 0, 'out': 1},"
                + "{'asset_id': '" + audio + "', 'start': 20, 'in': 0, 'out': 1},"
                + "{'asset_id': '" + video + "', 'start': -1, 'in': 0, 'out': 1}]}]}").replace('\'', '"');
        long before = countTimelineFiles();
        HttpResponse<String> r = server.postJson(PATH, body);
        assertEquals(422, r.statusCode(), r.body());
        JsonNode error = TestServer.json(r).get("error");
        assertEquals("invalid_timeline", error.get("code").asText());
        List<String> paths = new ArrayList<>();
        error.get("details").forEach(d -> paths.add(d.get("path").asText()));
        assertEquals(List.of("tracks[0].clips[0].out", "tracks[0].clips[1].asset_id",
                "tracks[0].clips[2].asset_id", "tracks[0].clips[3].start"), paths);
        assertEquals(before, countTimelineFiles(), "nothing is saved");
    }

    @Test
    void malformedJsonIs400() {
        HttpResponse<String> r = server.postJson(PATH, "{\"tracks\": [");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("malformed_request", TestServer.json(r).at("/error/code").asText());
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"name\": \"" + "x".repeat((int) TimelineHttpService.MAX_BODY) + "\"}";
        // refused by its Content-Length before a byte is read: the client waits for "100 Continue",
        // or it may still be writing when the server closes the connection (a race, not the answer)
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(PATH)).expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(huge, java.nio.charset.StandardCharsets.UTF_8)).build());
        assertEquals(413, r.statusCode(), () -> r.body().substring(0, Math.min(200, r.body().length())));
    }

    @Test
    void unknownAndMalformedIds() {
        HttpResponse<String> unknown = server.get(PATH + "/tl_doesnotexist");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("not_found", TestServer.json(unknown).at("/error/code").asText());
        HttpResponse<String> malformed = server.get(PATH + "/bad.id");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertEquals("invalid_id", TestServer.json(malformed).at("/error/code").asText());
        HttpResponse<String> updateUnknown = server.postJson(PATH, timeline("'timeline_id': 'tl_doesnotexist',", 4));
        assertEquals(404, updateUnknown.statusCode(), updateUnknown.body());
    }

    @Test
    void usedAssetCannotBeDeleted() {
        String spare = upload(TestServer.shared("t-rex-roar.mp3"));
        String body = ("{'tracks': [{'kind': 'audio', 'clips': [{'asset_id': '" + spare + "', 'start': 0, 'in': 0, 'out': 1}]}]}")
                .replace('\'', '"');
        assertEquals(201, server.postJson(PATH, body).statusCode());
        HttpResponse<String> r = server.delete("/api/media/video-assets/" + spare);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(200, server.get("/api/media/video-assets/" + spare).statusCode());
    }

    @Test
    void timelinesSurviveARestart(@TempDir Path otherMedia) {
        JsonNode saved;
        try (TestServer first = TestServer.start(otherMedia)) {
            HttpResponse<String> up = first.upload(TestServer.shared("flower.mp4"));
            String asset = TestServer.json(up).get("asset_id").asText();
            String body = ("{'name': 'kept', 'tracks': [{'kind': 'video', 'clips': [{'asset_id': '" + asset
                    + "', 'start': 2, 'in': 0.5, 'out': 3}]}]}").replace('\'', '"');
            HttpResponse<String> r = first.postJson(PATH, body);
            assertEquals(201, r.statusCode(), r.body());
            saved = TestServer.json(r);
        }
        try (TestServer second = TestServer.start(otherMedia)) {
            HttpResponse<String> r = second.get(PATH + "/" + saved.get("timeline_id").asText());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(saved, TestServer.json(r));
            JsonNode list = TestServer.json(second.get(PATH));
            assertEquals(1, list.size());
        }
    }

    @Test
    void sameContentUpdateKeepsTheHashButBumpsTheRevision() {
        JsonNode t = created();
        String id = t.get("timeline_id").asText();
        HttpResponse<String> again = server.postJson(PATH, timeline("'timeline_id': '" + id + "',", 4));
        assertEquals(200, again.statusCode());
        JsonNode u = TestServer.json(again);
        assertEquals(2, u.get("revision").asLong());
        assertNotEquals(t.get("updated_at"), u.get("updated_at"));
        assertFalse(u.get("tracks").isEmpty());
    }

    @Test
    void aStaleRevisionIs409AndChangesNothing() {
        JsonNode t = created();
        String id = t.get("timeline_id").asText();
        String based = "'timeline_id': '" + id + "', 'revision': 1,";
        HttpResponse<String> second = server.postJson(PATH, timeline(based, 4.5));
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(2, TestServer.json(second).get("revision").asLong());

        HttpResponse<String> stale = server.postJson(PATH, timeline(based, 3));
        assertEquals(409, stale.statusCode(), stale.body());
        JsonNode error = TestServer.json(stale).get("error");
        assertEquals("revision_conflict", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("revision 1"), error.toString());
        assertTrue(error.get("message").asText().contains("revision 2"), error.toString());
        assertEquals(4.5, TestServer.json(server.get(PATH + "/" + id)).at("/tracks/0/clips/0/out").asDouble(), "unchanged");

        HttpResponse<String> current = server.postJson(PATH, timeline("'timeline_id': '" + id + "', 'revision': 2,", 3));
        assertEquals(200, current.statusCode(), current.body());
        assertEquals(3, TestServer.json(current).get("revision").asLong());
        HttpResponse<String> bad = server.postJson(PATH, timeline("'timeline_id': '" + id + "', 'revision': -1,", 3));
        assertEquals(422, bad.statusCode(), bad.body());
        assertEquals("revision", TestServer.json(bad).at("/error/details/0/path").asText());
    }

    @Test
    void deleteRemovesTheTimelineItsProxyFilesAndFreesItsAssets() throws Exception {
        String spare = upload(TestServer.shared("flower.mp4"));
        String body = ("{'width': 320, 'height': 180, 'tracks': [{'kind': 'video', 'clips': [{'asset_id': '" + spare
                + "', 'start': 0, 'in': 0, 'out': 1}]}]}").replace('\'', '"');
        String id = TestServer.json(server.postJson(PATH, body)).get("timeline_id").asText();
        assertEquals(409, server.delete("/api/media/video-assets/" + spare).statusCode(), "in use");

        HttpResponse<String> requested = server.postJson(PATH + "/" + id + "/proxy", "{}");
        assertEquals(202, requested.statusCode(), requested.body());
        String job = TestServer.json(requested).get("job_id").asText();
        server.studio().jobs().await(job, java.time.Duration.ofSeconds(120));
        assertEquals(200, server.get(PATH + "/" + id + "/poster").statusCode());
        Path proxies = server.studio().mediaRoot().proxies();
        assertTrue(Files.exists(proxies.resolve(id + ".webm")));
        long segments = countFiles(server.studio().mediaRoot().segments());
        assertTrue(segments > 0);

        // a second render, running while the timeline goes
        server.postJson(PATH, body.replace("\"out\": 1", "\"out\": 2").replace("{\"width\"", "{\"timeline_id\": \"" + id + "\", \"width\""));
        String running = TestServer.json(server.postJson(PATH + "/" + id + "/proxy", "{}")).get("job_id").asText();

        HttpResponse<String> deleted = server.delete(PATH + "/" + id);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        var last = server.studio().jobs().await(running, java.time.Duration.ofSeconds(120)).orElseThrow();
        assertTrue(last.status().isFinal(), last.toString());
        assertEquals(404, server.get(PATH + "/" + id).statusCode());
        try (Stream<Path> left = Files.list(proxies)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(id)).toList(),
                    "proxy, record, posters and previews are gone");
        }
        assertTrue(countFiles(server.studio().mediaRoot().segments()) >= segments, "the shared segment cache stays");
        assertFalse(TestServer.json(server.get(PATH)).toString().contains(id));

        assertEquals(404, server.delete(PATH + "/" + id).statusCode(), "already gone");
        assertEquals(404, server.delete(PATH + "/tl_never").statusCode());
        HttpResponse<String> malformed = server.delete(PATH + "/bad.id");
        assertEquals(400, malformed.statusCode());
        assertEquals("invalid_id", TestServer.json(malformed).at("/error/code").asText());
        assertEquals(204, server.delete("/api/media/video-assets/" + spare).statusCode(), "the asset is free again");
    }

    private static long countFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void otioExportThenImportGivesTheSameEdit() {
        JsonNode t = created();
        String id = t.get("timeline_id").asText();
        HttpResponse<String> exported = server.get(PATH + "/" + id + "/otio");
        assertEquals(200, exported.statusCode(), exported.body());
        assertEquals("attachment; filename=\"cut.otio\"", exported.headers().firstValue("Content-Disposition").orElseThrow());
        JsonNode otio = TestServer.json(exported);
        assertEquals("Timeline.1", otio.get("OTIO_SCHEMA").asText());

        HttpResponse<String> imported = server.postJson(PATH + "/otio", exported.body());
        assertEquals(201, imported.statusCode(), imported.body());
        JsonNode back = TestServer.json(imported);
        assertNotEquals(id, back.get("timeline_id").asText(), "an import is a new timeline");
        assertEquals(1, back.get("revision").asLong());
        assertEquals(0, back.get("warnings").size(), back.get("warnings").toString());
        assertEquals(t.get("tracks"), back.get("tracks"));
        assertEquals(t.get("fps"), back.get("fps"));
        assertEquals(back.get("tracks"), TestServer.json(server.get(PATH + "/" + back.get("timeline_id").asText())).get("tracks"));
    }

    @Test
    void otioImportReportsWhatItDropsAndRefusesUnknownMedia() {
        String transition = "{'OTIO_SCHEMA': 'Transition.1', 'name': 'fade', 'transition_type': 'SMPTE_Dissolve',"
                + "'in_offset': {'OTIO_SCHEMA': 'RationalTime.1', 'rate': 25, 'value': 5},"
                + "'out_offset': {'OTIO_SCHEMA': 'RationalTime.1', 'rate': 25, 'value': 5}}";
        String body = ("{'OTIO_SCHEMA': 'Timeline.1', 'name': 'foreign', 'tracks': {'OTIO_SCHEMA': 'Stack.1', 'children': ["
                + "{'OTIO_SCHEMA': 'Track.1', 'kind': 'Video', 'children': [" + otioClip("file:///work/flower.mp4") + ","
                + transition + "," + otioClip("file:///work/flower.mp4") + "]}]}}").replace('\'', '"');
        HttpResponse<String> r = server.postJson(PATH + "/otio", body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode t = TestServer.json(r);
        assertEquals(2, t.at("/tracks/0/clips").size());
        assertEquals(2.0, t.at("/tracks/0/clips/1/start").asDouble());
        List<String> warned = new ArrayList<>();
        t.get("warnings").forEach(w -> warned.add(w.get("path").asText()));
        assertTrue(warned.contains("tracks.children[0].children[1]"), warned.toString());

        HttpResponse<String> unknown = server.postJson(PATH + "/otio", body.replace("flower.mp4", "elsewhere.mov"));
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertEquals("tracks.children[0].children[0].media_reference.target_url",
                TestServer.json(unknown).at("/error/details/0/path").asText());
        assertEquals(400, server.postJson(PATH + "/otio", "{\"OTIO_SCHEMA\": ").statusCode());
    }

    /** A Clip.1 of 2 seconds (from 1 s) of the file at {@code url}. */
    private static String otioClip(String url) {
        return "{'OTIO_SCHEMA': 'Clip.1', 'name': 'x', 'source_range': {'OTIO_SCHEMA': 'TimeRange.1',"
                + "'start_time': {'OTIO_SCHEMA': 'RationalTime.1', 'rate': 25, 'value': 25},"
                + "'duration': {'OTIO_SCHEMA': 'RationalTime.1', 'rate': 25, 'value': 50}},"
                + "'media_reference': {'OTIO_SCHEMA': 'ExternalReference.1', 'target_url': '" + url + "'}}";
    }

    private static long countTimelineFiles() throws IOException {
        try (Stream<Path> files = Files.list(server.studio().mediaRoot().timelines())) {
            return files.count();
        }
    }
}
