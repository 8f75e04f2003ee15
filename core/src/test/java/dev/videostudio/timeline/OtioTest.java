package dev.videostudio.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtioTest {

    private static JsonNode foreign() throws Exception {
        try (InputStream in = OtioTest.class.getResourceAsStream("/otio/foreign.otio")) {
            return StudioJson.mapper().readTree(in);
        }
    }

    private static Timeline edit() {
        return new Timeline("tl_x", "Round trip", 640, 360, 25, List.of(
                new Track("v1", TrackKind.VIDEO, List.of(
                        new Clip("c1", "a_video", 0.5, 1, 3.25, 0.8, false),
                        new Clip("c2", "a_image", 4, 0, 2, null, false),
                        new Clip("c3", "a_video", 7, 2, 3, null, true),
                        new Clip("c4", "a_silent", 8, 0, 1.5, null, false))),
                new Track("v2", TrackKind.VIDEO, List.of(new Clip("c5", "a_video", 1, 0, 0.333333, 2.0, false))),
                new Track("a1", TrackKind.AUDIO, List.of(
                        new Clip("c6", "a_audio", 0, 0.5, 4, null, false),
                        new Clip("c7", "a_video", 5, 0, 2, 0.3, true))),
                new Track("empty", TrackKind.AUDIO, List.of())),
                3, ProxyPreview.none(), null, null, null);
    }

    @Test
    void exportThenImportGivesTheSameTimeline() {
        Timeline original = edit();
        JsonNode otio = Otio.exportTimeline(original, TestAssets.LOOKUP);
        assertEquals("Timeline.1", otio.get("OTIO_SCHEMA").asText());
        JsonNode tracks = otio.at("/tracks/children");
        // 4 tracks plus the sound of the two video tracks that have audible clips
        assertEquals(6, tracks.size());
        assertEquals("Video", tracks.get(0).get("kind").asText());
        assertEquals("Gap.1", tracks.get(0).at("/children/0/OTIO_SCHEMA").asText());
        assertEquals("Clip.2", tracks.get(0).at("/children/1/OTIO_SCHEMA").asText());
        assertEquals("/media/video_assets/a_video.mp4",
                tracks.get(0).at("/children/1/media_references/DEFAULT_MEDIA/target_url").asText());
        assertEquals(25 * 1.0, tracks.get(0).at("/children/1/source_range/start_time/value").asDouble());
        assertEquals(1, tracks.get(4).get("children").size() - 1, "the sound track of v1 holds c1 only (after a gap)");

        Otio.Imported back = Otio.importTimeline(otio, TestAssets.LOOKUP);
        assertEquals(List.of(), back.warnings());
        Timeline t = back.timeline();
        assertEquals(original.tracks(), t.tracks());
        assertEquals("Round trip", t.name());
        assertEquals(640, t.width());
        assertEquals(25.0, t.fps());
        assertEquals(TimelineHash.of(original), TimelineHash.of(t));
    }

    @Test
    void importsAForeignFileAndReportsWhatItCannotRepresent() throws Exception {
        Otio.Imported imported = Otio.importTimeline(foreign(), TestAssets.LOOKUP);
        Timeline t = imported.timeline();
        assertEquals("Edit from elsewhere", t.name());
        assertEquals(24.0, t.fps());
        assertEquals(2, t.tracks().size());
        List<Clip> video = t.tracks().get(0).clips();
        assertEquals(3, video.size());
        assertClip(video.get(0), 0, 1, 3, true);
        assertClip(video.get(1), 3, 0, 1, true);
        assertClip(video.get(2), 5, 0, 1, true);
        Clip roar = t.tracks().get(1).clips().get(0);
        assertEquals("a_audio", roar.assetId());
        assertClip(roar, 0.5, 0, 1.5, false);

        List<String> paths = imported.warnings().stream().map(ErrorDetail::path).toList();
        assertEquals(List.of(
                "tracks.children[0].children[2]",
                "tracks.children[0].children[3].effects[0]",
                "tracks.children[0].children[3].markers",
                "tracks.children[0].children[4].media_references.DEFAULT_MEDIA",
                "tracks.children[0].children[5]",
                "tracks"), paths, imported.warnings()::toString);
        assertTrue(imported.warnings().get(0).message().contains("transition 'Dissolve'"));
        assertTrue(imported.warnings().get(1).message().contains("LinearTimeWarp"));
    }

    @Test
    void linkedSoundOfAForeignCutGoesBackToItsVideoClip() throws Exception {
        ObjectNode doc = (ObjectNode) foreign();
        // the editor's audio track also holds the sound of the first flower clip, at the same place and trim
        com.fasterxml.jackson.databind.node.ArrayNode audio = (com.fasterxml.jackson.databind.node.ArrayNode) doc.at("/tracks/children/1/children");
        JsonNode flowerA = doc.at("/tracks/children/0/children/0");
        ObjectNode linked = StudioJson.mapper().createObjectNode();
        linked.put("OTIO_SCHEMA", "Track.1").put("kind", "Audio");
        linked.putArray("children").add(flowerA.deepCopy());
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.at("/tracks/children")).add(linked);
        Otio.Imported imported = Otio.importTimeline(doc, TestAssets.LOOKUP);
        Timeline t = imported.timeline();
        assertEquals(2, t.tracks().size(), "the linked audio track is folded into the video clip");
        assertClip(t.tracks().get(0).clips().get(0), 0, 1, 3, false);
        assertClip(t.tracks().get(0).clips().get(1), 3, 0, 1, true);
        assertEquals(2, audio.size());
        assertTrue(imported.warnings().get(imported.warnings().size() - 1).message().startsWith("2 video clips are imported muted"),
                imported.warnings().toString());
    }

    private static void assertClip(Clip c, double start, double in, double out, boolean muted) {
        assertEquals(start, c.start(), 1e-9, c::toString);
        assertEquals(in, c.sourceIn(), 1e-9, c::toString);
        assertEquals(out, c.sourceOut(), 1e-9, c::toString);
        assertEquals(muted, c.muted(), c::toString);
    }

    @Test
    void unknownMediaAndBadTrimsAreErrorsAtTheirPlaceInTheFile() throws Exception {
        ObjectNode doc = (ObjectNode) foreign();
        ObjectNode roarRef = (ObjectNode) doc.at("/tracks/children/1/children/1/media_reference");
        roarRef.put("target_url", "file:///nowhere/unknown.wav");
        ObjectNode flowerRange = (ObjectNode) doc.at("/tracks/children/0/children/6/source_range/duration");
        flowerRange.put("value", 24 * 30);
        StudioException e = assertThrows(StudioException.class, () -> Otio.importTimeline(doc, TestAssets.LOOKUP));
        assertEquals("invalid_timeline", e.code());
        assertEquals(List.of("tracks.children[1].children[1].media_reference.target_url"),
                e.details().stream().map(ErrorDetail::path).toList(), e.details()::toString);

        roarRef.put("target_url", "/media/video_assets/a_audio.mp3?v=2");
        StudioException range = assertThrows(StudioException.class, () -> Otio.importTimeline(doc, TestAssets.LOOKUP));
        assertEquals("tracks.children[0].children[6]", range.details().get(0).path(), range.details()::toString);
        assertTrue(range.details().get(0).message().startsWith("out: goes past the end"), range.details().get(0).message());
    }

    @Test
    void notATimelineIsRefused() throws Exception {
        JsonNode clip = StudioJson.mapper().readTree("{\"OTIO_SCHEMA\": \"Clip.2\"}");
        StudioException e = assertThrows(StudioException.class, () -> Otio.importTimeline(clip, TestAssets.LOOKUP));
        assertEquals(StudioException.Problem.INVALID, e.problem());
        JsonNode badTime = StudioJson.mapper().readTree("{\"OTIO_SCHEMA\": \"Timeline.1\", \"tracks\": {\"OTIO_SCHEMA\": \"Stack.1\","
                + "\"children\": [{\"OTIO_SCHEMA\": \"Track.1\", \"kind\": \"Video\", \"children\": [{\"OTIO_SCHEMA\": \"Gap.1\","
                + "\"source_range\": {\"start_time\": {\"rate\": 0, \"value\": 0}, \"duration\": {\"rate\": 24, \"value\": \"x\"}}}]}]}}");
        StudioException t = assertThrows(StudioException.class, () -> Otio.importTimeline(badTime, TestAssets.LOOKUP));
        assertEquals(List.of("tracks.children[0].children[0].source_range.start_time", "tracks.children[0].children[0].source_range.duration"),
                t.details().stream().map(ErrorDetail::path).toList());
    }
}
