package dev.videostudio.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import dev.videostudio.proxy.RenderPlan.Segment;
import dev.videostudio.proxy.RenderPlan.SoundChunk;
import dev.videostudio.timeline.Clip;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.Track;
import dev.videostudio.timeline.TrackKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RenderPlanTest {

    private static final Map<String, Asset> ASSETS = Map.of(
            "v1", asset("v1", AssetKind.VIDEO, true),
            "v2", asset("v2", AssetKind.VIDEO, false),
            "img", asset("img", AssetKind.IMAGE, false),
            "snd", asset("snd", AssetKind.AUDIO, true),
            "logo", asset("logo", AssetKind.IMAGE, false, 400, 400),
            "tall", asset("tall", AssetKind.VIDEO, true, 1080, 1920));

    private static Asset asset(String id, AssetKind kind, boolean audio) {
        return asset(id, kind, audio, 1920, 1080);
    }

    private static Asset asset(String id, AssetKind kind, boolean audio, int width, int height) {
        return new Asset(id, id + ".x", kind, "x", 1, 60.0, audio, kind != AssetKind.AUDIO, width, height, 25.0,
                audio ? 48000 : null, audio ? 2 : null, null, null, null, id + ".x", null, null);
    }

    private static RenderPlan plan(int width, int height, double fps, Track... tracks) {
        Timeline t = new Timeline("t", "t", width, height, fps, List.of(tracks), 1, null, null, null, null);
        return RenderPlan.of(t, id -> Optional.ofNullable(ASSETS.get(id)), 360);
    }

    private static Clip clip(String id, String asset, double start, double in, double out) {
        return new Clip(id, asset, start, in, out, null, false);
    }

    @Test
    void cutsAtEveryClipBoundaryAndStacksLaterTracksOnTop() {
        RenderPlan p = plan(1920, 1080, 25,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 5, 9), clip("c2", "v2", 6, 0, 2))),
                new Track("b", TrackKind.VIDEO, List.of(clip("c3", "logo", 1, 0, 2))));
        assertEquals(640, p.width());
        assertEquals(360, p.height());
        assertEquals(200, p.totalFrames());
        // 0-1 c1 | 1-3 c1+c3 | 3-4 c1 | 4-6 gap | 6-8 c2
        assertEquals(List.of(0L, 25L, 75L, 100L, 150L), p.segments().stream().map(Segment::startFrame).toList());
        Segment overlap = p.segments().get(1);
        assertEquals(List.of("c1", "c3"), overlap.layers().stream().map(l -> l.clip().id()).toList());
        assertEquals(6.0, overlap.layers().getFirst().sourceOffset(), 1e-9);
        assertTrue(p.segments().get(3).layers().isEmpty(), "the gap has no layers");
    }

    @Test
    void anUpperLayerThatFillsTheFrameHidesTheOnesBelow() {
        RenderPlan p = plan(1920, 1080, 25,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 0, 4))),
                new Track("b", TrackKind.VIDEO, List.of(clip("c2", "v2", 1, 0, 1), clip("c3", "tall", 2, 0, 1))),
                new Track("c", TrackKind.VIDEO, List.of(clip("c4", "logo", 1, 0, 2))));
        // 1-2: c2 (16:9) hides c1, the square logo shows c2 beside it; 2-3: the tall clip leaves c1 visible
        assertEquals(List.of("c2", "c4"), p.segments().get(1).layers().stream().map(l -> l.clip().id()).toList());
        assertEquals(List.of("c1", "c3", "c4"), p.segments().get(2).layers().stream().map(l -> l.clip().id()).toList());
        // what is hidden is not part of the hash: c2 over c1 is the same segment as c2 over a gap
        RenderPlan over = plan(1920, 1080, 25, new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 0, 4))),
                new Track("b", TrackKind.VIDEO, List.of(clip("c2", "v2", 1, 0, 1))));
        RenderPlan alone = plan(1920, 1080, 25, new Track("b", TrackKind.VIDEO, List.of(clip("c2", "v2", 1, 0, 1))));
        assertEquals(alone.segments().get(1).hash(), over.segments().get(1).hash());
    }

    @Test
    void aSegmentsHashDependsOnWhatItShowsNotWhereItIs() {
        // (after the early cuts at 1 s and 3 s, which keep the live stream's first segments short)
        RenderPlan early = plan(1920, 1080, 25, new Track("a", TrackKind.VIDEO, List.of(clip("c", "v1", 3, 2, 4))));
        RenderPlan late = plan(1920, 1080, 25, new Track("a", TrackKind.VIDEO, List.of(clip("c", "v1", 6, 2, 4))));
        assertEquals(early.segments().getLast().hash(), late.segments().getLast().hash());
        RenderPlan trimmed = plan(1920, 1080, 25, new Track("a", TrackKind.VIDEO, List.of(clip("c", "v1", 3, 2.5, 4))));
        assertNotEquals(early.segments().getLast().hash(), trimmed.segments().getLast().hash());
    }

    @Test
    void soundChunksTileTheTimelineOnThePacketGrid() {
        RenderPlan p = plan(640, 360, 30,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 0, 12.5), clip("c2", "v1", 13.3, 20, 40))),
                new Track("b", TrackKind.VIDEO, List.of(clip("c9", "v2", 0, 0, 70))), // picture only: silence to 70 s
                new Track("s", TrackKind.AUDIO, List.of(new Clip("c3", "snd", 1.01, 0, 3, 0.5, false))));
        long total = Math.round(p.durationSeconds() * RenderPlan.SAMPLE_RATE);
        long at = 0;
        for (SoundChunk c : p.sound()) {
            assertEquals(at, c.start(), "chunks follow each other");
            assertEquals(0, c.start() % OggOpus.PACKET_SAMPLES, "chunk " + c.index() + " starts off the packet grid");
            assertTrue(c.length() > 0 && c.length() <= RenderPlan.MAX_CHUNK_SAMPLES);
            assertEquals(Math.min(RenderPlan.PREROLL_SAMPLES, c.start()), c.preroll());
            if (c.index() < p.sound().size() - 1) {
                assertEquals(0, c.length() % OggOpus.PACKET_SAMPLES, "a whole number of packets");
            }
            at += c.length();
        }
        assertEquals(total, at, "the chunks cover the timeline");
        // cuts where c3 starts (1.01 s, floored to the grid: 1.0 s) and ends, where c1 ends, where c2
        // starts and ends, and 30 s into the silence after it
        List<Long> starts = p.sound().stream().map(SoundChunk::start).toList();
        assertEquals(List.of(0L, 48_000L, 192_000L, 600_000L, 638_400L, 1_598_400L, 3_038_400L), starts);
        // the chunk at 1.0 s hears c1 from its start and c3 from 10 ms in, relative to its pre-roll
        SoundChunk second = p.sound().get(1);
        assertEquals(List.of("c1", "c3"), second.parts().stream().map(a -> a.clip().id()).toList());
        assertEquals(0.8, second.parts().get(0).sourceIn(), 1e-9);
        assertEquals(0.21, second.parts().get(1).start(), 1e-9);
    }

    @Test
    void aRippleEditKeepsTheHashesOfTheSoundThatOnlyMoved() {
        RenderPlan before = plan(640, 360, 30, new Track("a", TrackKind.VIDEO,
                List.of(clip("c1", "v1", 0, 0, 6), clip("c2", "v1", 6, 0, 59))));
        RenderPlan shortened = plan(640, 360, 30, new Track("a", TrackKind.VIDEO,
                List.of(clip("c1", "v1", 0, 0, 4), clip("c2", "v1", 4, 0, 59))));
        List<String> hashes = before.sound().stream().map(SoundChunk::hash).toList();
        List<SoundChunk> after = shortened.sound();
        assertEquals(4, after.size(), "c1's first second (as long as the first segment), its rest, then c2 in two chunks (30 s, 29 s)");
        assertEquals(hashes.get(0), after.get(0).hash(), "the first second did not change");
        // the chunk where c2 starts also hears the end of c1 in its pre-roll: it changed; the rest moved whole
        assertNotEquals(hashes.get(2), after.get(2).hash());
        for (SoundChunk c : after.subList(3, after.size())) {
            assertTrue(hashes.contains(c.hash()), "chunk " + c.index() + " should come from the cache");
        }
        // a shift that is not a whole number of 20 ms packets moves the sound within its packets
        RenderPlan offGrid = plan(640, 360, 30, new Track("a", TrackKind.VIDEO,
                List.of(clip("c1", "v1", 0, 0, 6 - 1.0 / 30), clip("c2", "v1", 6 - 1.0 / 30, 0, 59))));
        for (SoundChunk c : offGrid.sound().subList(3, offGrid.sound().size())) {
            assertTrue(!hashes.contains(c.hash()), "chunk " + c.index() + " cannot be reused");
        }
    }

    @Test
    void longStretchesAreCutForParallelRendering() {
        RenderPlan p = plan(1920, 1080, 30, new Track("a", TrackKind.VIDEO, List.of(clip("c", "v1", 0, 0, 25))));
        // short first segments (1 s, 2 s) so that the live stream starts at once, then at most 10 s
        assertEquals(List.of(30L, 60L, 300L, 300L, 60L), p.segments().stream().map(Segment::frames).toList());
        assertEquals(3.0, p.segments().get(2).layers().getFirst().sourceOffset(), 1e-9);
    }

    @Test
    void soundComesFromUnmutedClipsWithAudio() {
        RenderPlan p = plan(640, 480, 29.97,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 0, 1), clip("c2", "v2", 1, 0, 1),
                        new Clip("c3", "v1", 2, 0, 1, null, true))),
                new Track("s", TrackKind.AUDIO, List.of(new Clip("c4", "snd", 0, 0, 3, 1.5, false))));
        assertEquals(List.of("c1", "c4"), p.audio().stream().map(a -> a.clip().id()).toList());
        assertEquals(1.5, p.audio().get(1).gain());
        assertEquals(new FrameRate(30000, 1001), p.fps());
        assertEquals(480, p.width(), "4:3 at 360 lines");
    }

    @Test
    void portraitAndSmallTimelinesKeepTheirShape() {
        assertEquals(202, plan(1080, 1920, 30, new Track("a", TrackKind.VIDEO,
                List.of(clip("c", "v1", 0, 0, 1)))).width());
        RenderPlan small = plan(320, 240, 30, new Track("a", TrackKind.VIDEO, List.of(clip("c", "v1", 0, 0, 1))));
        assertEquals(320, small.width());
        assertEquals(240, small.height());
    }

    @Test
    void frameRatesAreExactFractions() {
        assertEquals(new FrameRate(25, 1), FrameRate.of(25));
        assertEquals(new FrameRate(24000, 1001), FrameRate.of(23.976));
        assertEquals(new FrameRate(12500, 1000), FrameRate.of(12.5));
        assertEquals(30, FrameRate.of(29.97).frameAt(1.001));
    }

    @Test
    void emptyOrUnknownContentIsRefused() {
        StudioException empty = assertThrows(StudioException.class, () -> plan(640, 360, 25));
        assertEquals("empty_timeline", empty.code());
        StudioException unknown = assertThrows(StudioException.class, () -> plan(640, 360, 25,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 0, 0, 1), clip("c2", "nope", 1, 0, 1)))));
        assertEquals("tracks[0].clips[1].asset_id", unknown.details().getFirst().path());
    }

    @Test
    void eachTrackSoundsAsOneStreamAndOnlyTracksAreMixed() {
        RenderPlan p = plan(640, 360, 25,
                new Track("a", TrackKind.VIDEO, List.of(clip("c1", "v1", 1, 0, 2), clip("c2", "v1", 4, 5, 6))),
                new Track("s", TrackKind.AUDIO, List.of(new Clip("c3", "snd", 0, 0, 1, 0.5, false))));
        String graph = SegmentedRenderer.audioGraph(p.audio(), 6 * 48_000);
        // track a: 1 s of silence, c1 (2 s), 1 s of silence, c2 (1 s); track s: c3
        assertTrue(graph.contains("atrim=end_sample=48000[g0]"), graph);
        assertTrue(graph.contains("[g0][p0][g1][p1]concat=n=4:v=0:a=1[t0]"), graph);
        assertTrue(graph.contains("[2:a:0]") && graph.contains("volume=0.5000"), graph);
        assertTrue(graph.contains("[p2]concat=n=1:v=0:a=1[t1]"), graph);
        assertTrue(graph.endsWith("[t0][t1]amix=inputs=2:duration=longest:dropout_transition=0:normalize=0,"
                + "apad,atrim=end_sample=288000[aout]"), graph);
        assertTrue(SegmentedRenderer.audioGraph(List.of(), 100).startsWith("anullsrc"), "silence only");
        assertFalse(graph.contains("eval=frame"), "no fade, no ramp");
    }

    @Test
    void mutedTracksAreNotHeardAndSoloTracksAloneAre() {
        Clip a = new Clip("c1", "snd", 0, 0, 1, null, false);
        Clip b = new Clip("c2", "snd", 0, 0, 1, null, false);
        java.util.function.BiFunction<Track, Track, List<String>> heard = (x, y) ->
                plan(640, 360, 25, x, y).audio().stream().map(p -> p.clip().id()).toList();
        assertEquals(List.of("c1", "c2"), heard.apply(new Track("x", TrackKind.AUDIO, List.of(a)), new Track("y", TrackKind.AUDIO, List.of(b))));
        assertEquals(List.of("c2"), heard.apply(new Track("x", TrackKind.AUDIO, List.of(a), true, false), new Track("y", TrackKind.AUDIO, List.of(b))));
        assertEquals(List.of("c1"), heard.apply(new Track("x", TrackKind.AUDIO, List.of(a), false, true), new Track("y", TrackKind.AUDIO, List.of(b))));
        assertEquals(List.of(), heard.apply(new Track("x", TrackKind.AUDIO, List.of(a), true, true), new Track("y", TrackKind.AUDIO, List.of(b))),
                "muted wins over solo");
    }

    @Test
    void fadesAreRampsPlacedWhereThePartSitsInItsClip() {
        RenderPlan p = plan(640, 360, 25, new Track("s", TrackKind.AUDIO,
                List.of(new Clip("c", "snd", 0, 0, 1, null, false, 0.25, 0.5))));
        RenderPlan.AudioPart whole = p.audio().getFirst();
        assertEquals(",asetnsamples=n=480:p=0,volume='min(1,max(0,(t+0.000000)/0.250000))*min(1,max(0,(1.000000-t)/0.500000))':eval=frame",
                SegmentedRenderer.fades(whole));
        // a part that begins 0.1 s into the clip: the ramp is 0.1 s further along
        RenderPlan.AudioPart later = new RenderPlan.AudioPart(0, whole.clip(), whole.asset(), 0, 0.1, 0.9, 1);
        assertTrue(SegmentedRenderer.fades(later).contains("(t+0.100000)/0.250000") && SegmentedRenderer.fades(later).contains("(0.900000-t)"),
                SegmentedRenderer.fades(later));
        RenderPlan plain = plan(640, 360, 25, new Track("s", TrackKind.AUDIO, List.of(new Clip("c", "snd", 0, 0, 1, null, false))));
        assertNotEquals(RenderPlan.soundChunks(p.audio(), 48_000).getFirst().hash(),
                RenderPlan.soundChunks(plain.audio(), 48_000).getFirst().hash(), "a fade changes the chunk");
    }
}
