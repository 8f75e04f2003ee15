package dev.videostudio.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineHashTest {

    private static Timeline timeline(String id, String name, long revision, double out, List<Clip> extra) {
        List<Clip> clips = new java.util.ArrayList<>(List.of(
                new Clip("c1", "a_video", 0, 1, out, null, false),
                new Clip("c2", "a_video", 6, 0, 2, 1.0, false)));
        clips.addAll(extra);
        return new Timeline(id, name, 1280, 720, 30,
                List.of(new Track("v1", TrackKind.VIDEO, clips), new Track("a1", TrackKind.AUDIO, List.of())),
                revision, ProxyPreview.none(), Instant.now(), Instant.now(), null);
    }

    @Test
    void idsNamesRevisionAndOrderDoNotChangeIt() {
        String base = TimelineHash.of(timeline("tl_1", "first", 1, 5, List.of()));
        assertTrue(base.matches("[0-9a-f]{64}"), base);
        assertEquals(base, TimelineHash.of(timeline("tl_2", "other name", 7, 5, List.of())));
        Timeline renamedClips = new Timeline(null, "x", 1280, 720, 30, List.of(new Track("other", TrackKind.VIDEO, List.of(
                new Clip("b", "a_video", 6, 0, 2, null, false),
                new Clip("a", "a_video", 0, 1, 5, 1.0, false)))), 0, null, null, null, null);
        assertEquals(base, TimelineHash.of(renamedClips));
    }

    @Test
    void contentChangesChangeIt() {
        String base = TimelineHash.of(timeline("tl_1", "first", 1, 5, List.of()));
        assertNotEquals(base, TimelineHash.of(timeline("tl_1", "first", 1, 5.04, List.of())), "a trim");
        assertNotEquals(base, TimelineHash.of(timeline("tl_1", "first", 1, 5,
                List.of(new Clip("c3", "a_image", 9, 0, 1, null, false)))), "a new clip");
        Timeline t = timeline("tl_1", "first", 1, 5, List.of());
        assertNotEquals(base, TimelineHash.of(new Timeline(null, null, 640, 360, 30, t.tracks(), 0, null, null, null, null)), "a size");
        assertNotEquals(base, TimelineHash.of(new Timeline(null, null, 1280, 720, 25, t.tracks(), 0, null, null, null, null)), "fps");
        Track muted = new Track("v1", TrackKind.VIDEO, List.of(new Clip("c1", "a_video", 0, 1, 5, null, true),
                new Clip("c2", "a_video", 6, 0, 2, 1.0, false)));
        assertNotEquals(base, TimelineHash.of(new Timeline(null, null, 1280, 720, 30, List.of(muted), 0, null, null, null, null)), "muted");
        Track other = new Track("v1", TrackKind.VIDEO, List.of(new Clip("c1", "a_other", 0, 1, 5, null, false),
                new Clip("c2", "a_video", 6, 0, 2, 1.0, false)));
        assertNotEquals(base, TimelineHash.of(new Timeline(null, null, 1280, 720, 30, List.of(other), 0, null, null, null, null)), "asset");
    }
}
