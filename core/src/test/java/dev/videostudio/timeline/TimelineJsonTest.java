package dev.videostudio.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineJsonTest {

    private static JsonNode json(String text) throws Exception {
        return StudioJson.mapper().readTree(text.replace('\'', '"'));
    }

    private static Timeline parse(String text) throws Exception {
        return TimelineJson.parse(json(text), TestAssets.LOOKUP);
    }

    /** The details of the 422 a timeline gets. */
    private static List<ErrorDetail> problems(String text) throws Exception {
        JsonNode tree = json(text);
        StudioException e = assertThrows(StudioException.class, () -> TimelineJson.parse(tree, TestAssets.LOOKUP));
        assertEquals(StudioException.Problem.INVALID, e.problem());
        assertEquals("invalid_timeline", e.code());
        return e.details();
    }

    private static ErrorDetail only(String text, String path) throws Exception {
        List<ErrorDetail> details = problems(text);
        assertEquals(1, details.size(), () -> "expected one problem, got " + details);
        assertEquals(path, details.get(0).path(), details::toString);
        return details.get(0);
    }

    private static String oneClip(String clip) {
        return "{'tracks': [{'kind': 'video', 'clips': [" + clip + "]}]}";
    }

    @Test
    void validTimelineGetsDefaultsAndIds() throws Exception {
        Timeline t = parse("{'tracks': [{'kind': 'video', 'clips': [{'asset_id': 'a_video', 'start': 0, 'in': 1, 'out': 3}]},"
                + "{'id': 'music', 'kind': 'AUDIO', 'clips': [{'id': 'c1', 'asset_id': 'a_audio', 'start': 2, 'in': 0, 'out': 4, 'volume': 0.5, 'muted': true}]}]}");
        assertEquals("Untitled", t.name());
        assertEquals(1280, t.width());
        assertEquals(720, t.height());
        assertEquals(30.0, t.fps());
        assertNull(t.timelineId());
        assertEquals(TrackKind.VIDEO, t.tracks().get(0).kind());
        assertNotNull(t.tracks().get(0).id());
        assertNotNull(t.tracks().get(0).clips().get(0).id());
        assertEquals("music", t.tracks().get(1).id());
        Clip c = t.tracks().get(1).clips().get(0);
        assertEquals(0.5, c.volume());
        assertTrue(c.muted());
        assertEquals(6.0, t.duration());
    }

    @Test
    void fadesAreKeptAndMustFitTheClip() throws Exception {
        Clip c = parse(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 1, 'out': 3, 'fade_in': 0.5, 'fade_out': 0}")).tracks().get(0).clips().get(0);
        assertEquals(0.5, c.fadeIn());
        assertNull(c.fadeOut(), "a zero fade is none");
        assertEquals("must not be negative, got -1",
                only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1, 'fade_in': -1}"), "tracks[0].clips[0].fade_in").message());
        assertTrue(only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1, 'fade_in': 0.6, 'fade_out': 0.6}"),
                "tracks[0].clips[0].fade_out").message().contains("must fit in the clip"));
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1, 'fade_out': 'long'}"), "tracks[0].clips[0].fade_out");
        String json = StudioJson.mapper().writeValueAsString(c);
        assertTrue(json.contains("\"fade_in\":0.5") && !json.contains("fade_out"), json);
    }

    @Test
    void trackMuteAndSoloAreKeptAndChangeTheHash() throws Exception {
        String clip = "{'id': 'c', 'asset_id': 'a_audio', 'start': 0, 'in': 0, 'out': 1}";
        Timeline plain = parse("{'tracks': [{'id': 'm', 'kind': 'audio', 'clips': [" + clip + "]}]}");
        Timeline muted = parse("{'tracks': [{'id': 'm', 'kind': 'audio', 'muted': true, 'clips': [" + clip + "]}]}");
        Timeline solo = parse("{'tracks': [{'id': 'm', 'kind': 'audio', 'solo': true, 'clips': [" + clip + "]}]}");
        assertTrue(muted.tracks().getFirst().muted());
        assertTrue(solo.tracks().getFirst().solo());
        assertFalse(plain.tracks().getFirst().muted() || plain.tracks().getFirst().solo());
        assertNotEquals(TimelineHash.of(plain), TimelineHash.of(muted));
        assertNotEquals(TimelineHash.of(plain), TimelineHash.of(solo));
        only("{'tracks': [{'kind': 'audio', 'solo': 'yes'}]}", "tracks[0].solo");
        String json = StudioJson.mapper().writeValueAsString(plain.tracks().getFirst());
        String trackPart = json.substring(0, json.indexOf("\"clips\""));
        assertFalse(trackPart.contains("muted") || json.contains("solo"), "defaults left out: " + json);
    }

    @Test
    void imageClipsNeedOnlyAPositiveDuration() throws Exception {
        Timeline t = parse(oneClip("{'asset_id': 'a_image', 'start': 0, 'in': 100, 'out': 105}"));
        assertEquals(5.0, t.tracks().get(0).clips().get(0).duration());
    }

    @Test
    void eachProblemNamesItsPath() throws Exception {
        assertEquals("must not be negative, got -1",
                only(oneClip("{'asset_id': 'a_video', 'start': -1, 'in': 0, 'out': 1}"), "tracks[0].clips[0].start").message());
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': -0.5, 'out': 1}"), "tracks[0].clips[0].in");
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 2, 'out': 2}"), "tracks[0].clips[0].out");
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 2, 'out': 10.5}"), "tracks[0].clips[0].out");
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 10, 'out': 11}"), "tracks[0].clips[0].in");
        only(oneClip("{'asset_id': 'a_nope', 'start': 0, 'in': 0, 'out': 1}"), "tracks[0].clips[0].asset_id");
        only(oneClip("{'asset_id': '../etc', 'start': 0, 'in': 0, 'out': 1}"), "tracks[0].clips[0].asset_id");
        only(oneClip("{'asset_id': 'a_video', 'start': '0', 'in': 0, 'out': 1}"), "tracks[0].clips[0].start");
        only(oneClip("{'asset_id': 'a_video', 'in': 0, 'out': 1}"), "tracks[0].clips[0].start");
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1, 'volume': 2.5}"), "tracks[0].clips[0].volume");
        only(oneClip("{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1, 'muted': 'yes'}"), "tracks[0].clips[0].muted");
        only(oneClip("{'asset_id': 'a_audio', 'start': 0, 'in': 0, 'out': 1}"), "tracks[0].clips[0].asset_id");
        only(oneClip("7"), "tracks[0].clips[0]");
        only("{'tracks': [{'kind': 'subtitles'}]}", "tracks[0].kind");
        only("{'tracks': [{'clips': []}]}", "tracks[0].kind");
        only("{'tracks': [{'kind': 'audio', 'clips': [{'asset_id': 'a_silent', 'start': 0, 'in': 0, 'out': 1}]}]}",
                "tracks[0].clips[0].asset_id");
        only("{'tracks': {}}", "tracks");
        only("{'width': 10}", "width");
        only("{'height': 720.5}", "height");
        only("{'fps': 0}", "fps");
        only("{'fps': 'fast'}", "fps");
        only("{'name': 3}", "name");
        only("{'timeline_id': 'a/b'}", "timeline_id");
        only("[1, 2]", "");
    }

    @Test
    void overlappingClipsOnOneTrackAreReported() throws Exception {
        ErrorDetail d = only(oneClip("{'id': 'x', 'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 5},"
                + "{'id': 'y', 'asset_id': 'a_video', 'start': 10, 'in': 0, 'out': 2},"
                + "{'id': 'z', 'asset_id': 'a_video', 'start': 4, 'in': 0, 'out': 1}"), "tracks[0].clips[2].start");
        assertTrue(d.message().contains("'x'"), d.message());
        // touching clips do not overlap; clips on different tracks never do
        parse("{'tracks': [{'kind': 'video', 'clips': [{'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 5},"
                + "{'asset_id': 'a_video', 'start': 5, 'in': 0, 'out': 5}]},"
                + "{'kind': 'video', 'clips': [{'asset_id': 'a_video', 'start': 1, 'in': 0, 'out': 5}]}]}");
    }

    @Test
    void severalProblemsGiveSeveralDetails() throws Exception {
        List<ErrorDetail> details = problems("{'width': 'wide', 'fps': 500, 'tracks': ["
                + "{'kind': 'video', 'clips': [{'asset_id': 'a_nope', 'start': 0, 'in': 0, 'out': 1},"
                + "{'asset_id': 'a_video', 'start': 0, 'in': 3, 'out': 2, 'volume': -1}]},"
                + "{'kind': 'lights', 'clips': [{'id': 'dup', 'asset_id': 'a_video', 'start': 0, 'in': 0, 'out': 1},"
                + "{'id': 'dup', 'asset_id': 'a_video', 'start': 1, 'in': 0, 'out': 1}]}]}");
        List<String> paths = details.stream().map(ErrorDetail::path).toList();
        assertEquals(List.of("width", "fps", "tracks[0].clips[0].asset_id", "tracks[0].clips[1].out",
                "tracks[0].clips[1].volume", "tracks[1].kind", "tracks[1].clips[1].id"), paths);
    }

    @Test
    void javaTimelinesAreCheckedTheSameWay() {
        Timeline bad = Timeline.draft("x", 1280, 720, 30, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", "a_video", 0, 0, 20, null, false)))));
        StudioException e = assertThrows(StudioException.class, () -> TimelineJson.validate(bad, TestAssets.LOOKUP));
        assertEquals("tracks[0].clips[0].out", e.details().get(0).path());
        Timeline good = Timeline.draft("x", 1280, 720, 30, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", "a_video", 0, 0, 10, null, false)))));
        assertEquals(good.tracks(), TimelineJson.validate(good, TestAssets.LOOKUP).tracks());
        assertFalse(TimelineJson.toTree(good).path("tracks").path(0).path("clips").path(0).has("source_in"));
        assertEquals(10, TimelineJson.toTree(good).path("tracks").path(0).path("clips").path(0).path("out").asInt());
    }
}
