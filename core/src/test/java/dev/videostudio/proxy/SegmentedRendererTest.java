package dev.videostudio.proxy;

import static dev.videostudio.proxy.MediaCheck.difference;
import static dev.videostudio.proxy.MediaCheck.meanVolume;
import static dev.videostudio.proxy.MediaCheck.shared;
import static dev.videostudio.proxy.MediaCheck.thumb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.timeline.Clip;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.Track;
import dev.videostudio.timeline.TrackKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real renders of a timeline built from the shared media: several tracks, trims, a gap,
 * overlapping video tracks, an image, muted and volume-changed clips, portrait and rotated
 * video, 5.1 sound. The proxy is checked by looking at it: frames, levels, length, Cues.
 */
class SegmentedRendererTest {

    private static final double FPS = 30;

    @TempDir
    static Path dir;
    static VideoStudio studio;
    static ProxyRenderer renderer;
    static Map<String, Asset> a;
    static Map<String, Path> source;
    static Path proxy;
    static RenderReport first;

    @BeforeAll
    static void renderOnce() {
        studio = VideoStudio.builder().mediaRoot(dir.resolve("media")).build();
        renderer = ProxyRenderer.segmented(studio.mediaRoot(), studio.ffmpeg(), studio.config(), studio.assets());
        Path gen = dir.resolve("gen");
        try {
            Files.createDirectories(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        source = Map.of(
                "friday", shared("friday.mp4"),
                "flower", shared("flower.mp4"),
                "portrait", shared("flower-portrait-304x540.mp4"),
                "rotated", shared("rotate-buck-bunny.mp4"),
                "image", MediaCheck.generate(gen.resolve("card.png"), "-f", "lavfi", "-i",
                        "testsrc2=s=320x180", "-frames:v", "1"),
                "surround", MediaCheck.generate(gen.resolve("surround.wav"), "-f", "lavfi", "-i",
                        "sine=f=440:d=1.5:sample_rate=48000", "-af",
                        "pan=5.1|FL=0.5*c0|FR=0.5*c0|FC=0.5*c0|LFE=0.5*c0|BL=0.5*c0|BR=0.5*c0"));
        a = new java.util.HashMap<>();
        source.forEach((name, file) -> a.put(name, ingest(file)));
        for (Asset asset : a.values()) {
            renderer.makeEditProxy(asset, null, null);
        }
        proxy = dir.resolve("out/first.webm");
        first = renderer.render(timeline(0), proxy, true, null, null);
    }

    @AfterAll
    static void close() {
        studio.close();
    }

    private static Asset ingest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return studio.assets().ingest(VideoStudio.DEFAULT_TENANT, file.getFileName().toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The test edit. {@code ripple} trims that many seconds off the start of clip c2 and moves
     * every later clip left by as much, as an editor's ripple trim does.
     */
    static Timeline timeline(double ripple) {
        double r = ripple;
        Track v1 = new Track("v1", TrackKind.VIDEO, List.of(
                clip("c1", "friday", 0, 1, 3, null, false),
                // gap from 2 to 3
                clip("c2", "friday", 3, 3 + r, 5, null, true),
                clip("c3", "portrait", 5 - r, 0, 1.5, null, false),
                clip("c4", "rotated", 6.5 - r, 0, 1.5, null, false),
                clip("c7", "flower", 8 - r, 1, 2, null, false)));
        Track v2 = new Track("v2", TrackKind.VIDEO, List.of(clip("c5", "image", 1, 0, 0.5, null, false)));
        Track a1 = new Track("a1", TrackKind.AUDIO, List.of(
                clip("c6", "surround", 9 - r, 0, 1, null, false),
                clip("c8", "surround", 10 - r, 0, 1, 0.5, false)));
        return new Timeline("t_test", "test", 1280, 720, FPS, List.of(v1, v2, a1), 1, null, null, null, null);
    }

    private static Clip clip(String id, String asset, double start, double in, double out, Double volume, boolean muted) {
        return new Clip(id, a.get(asset).assetId(), start, in, out, volume, muted);
    }

    @Test
    void lengthMatchesTheTimelineToTheFrame() {
        assertEquals(Math.round(11 * FPS), MediaCheck.videoFramesCounted(proxy));
        double duration = Double.parseDouble(MediaCheck.probe(proxy, null, "format=duration"));
        assertEquals(11.0, duration, 1.0 / FPS);
        assertEquals("640", MediaCheck.probe(proxy, "v:0", "stream=width"));
        assertEquals("360", MediaCheck.probe(proxy, "v:0", "stream=height"));
        assertEquals("vp9", MediaCheck.probe(proxy, "v:0", "stream=codec_name"));
        assertEquals("opus", MediaCheck.probe(proxy, "a:0", "stream=codec_name"));
    }

    @Test
    void cuesComeBeforeTheFirstClusterSoABrowserCanSeek() {
        List<String> ids = MediaCheck.webmTopLevel(proxy);
        assertTrue(ids.contains("1C53BB6B"), "Cues missing: " + ids);
        assertEquals("1F43B675", ids.getLast(), "no Cluster found: " + ids);
    }

    @Test
    void eachMomentShowsTheExpectedClip() {
        // timeline second -> the source and second that must show
        record Expect(double at, String name, double sourceAt) {
        }
        List<Expect> expected = List.of(
                new Expect(0.5, "friday", 1.5),
                new Expect(1.25, "image", 0),
                new Expect(1.75, "friday", 2.75),
                new Expect(4.0, "friday", 4.0),
                new Expect(5.75, "portrait", 0.75),
                new Expect(7.25, "rotated", 0.75),
                new Expect(8.5, "flower", 1.5));
        List<byte[]> all = new ArrayList<>();
        for (Expect e : expected) {
            all.add(thumb(source.get(e.name), e.sourceAt, true));
        }
        for (int i = 0; i < expected.size(); i++) {
            Expect e = expected.get(i);
            byte[] shown = thumb(proxy, e.at, true);
            double match = difference(shown, all.get(i));
            assertTrue(match < 14, "at " + e.at + " s the proxy differs from " + e.name + " by " + match);
            for (int j = 0; j < expected.size(); j++) {
                if (!expected.get(j).name.equals(e.name)) {
                    double other = difference(shown, all.get(j));
                    assertTrue(match < other, "at " + e.at + " s the proxy looks more like " + expected.get(j).name
                            + " (" + other + ") than " + e.name + " (" + match + ")");
                }
            }
        }
        // the rotated video is shown upright, not as stored
        double stored = difference(thumb(proxy, 7.25, true), thumb(source.get("rotated"), 0.75, false));
        double upright = difference(thumb(proxy, 7.25, true), thumb(source.get("rotated"), 0.75, true));
        assertTrue(upright < stored, "rotation not applied: upright " + upright + " vs stored " + stored);
    }

    @Test
    void gapsAndTheEndAreBlack() {
        for (double t : new double[] {2.5, 9.5, 10.5}) {
            byte[] frame = thumb(proxy, t, true);
            int max = 0;
            for (byte b : frame) {
                max = Math.max(max, b & 0xff);
            }
            assertTrue(max < 30, "not black at " + t + " s: brightest " + max);
        }
    }

    @Test
    void soundFollowsTheTimeline() {
        assertTrue(meanVolume(proxy, 0.2, 1.8) > -50, "clip c1 should be heard");
        assertTrue(meanVolume(proxy, 2.2, 2.8) < -80, "the gap should be silent");
        assertTrue(meanVolume(proxy, 3.2, 4.8) < -80, "muted clip c2 should be silent");
        double full = meanVolume(proxy, 9.2, 9.8);
        double half = meanVolume(proxy, 10.2, 10.8);
        assertTrue(full > -30, "the 5.1 clip should be heard after the downmix: " + full);
        assertEquals(6.0, full - half, 1.0, "volume 0.5 is 6 dB quieter");
    }

    @Test
    void rippleTrimRendersOnlyTheChangedSegment() {
        assertEquals(first.segments(), first.segmentsRendered());
        Path again = dir.resolve("out/again.webm");
        RenderReport same = renderer.render(timeline(0), again, true, null, null);
        assertEquals(0, same.segmentsRendered());
        assertEquals(0, same.soundChunksRendered());

        Path trimmed = dir.resolve("out/trimmed.webm");
        List<Double> progress = new ArrayList<>();
        RenderReport edit = renderer.render(timeline(0.5), trimmed, true, progress::add, null);
        assertEquals(1, edit.segmentsRendered(), "only c2's segment changed");
        assertTrue(edit.soundChunksRendered() > 0 && edit.soundChunksRendered() < edit.soundChunks(),
                edit.soundChunksRendered() + " of " + edit.soundChunks() + " sound chunks rendered");
        assertEquals(Math.round(10.5 * FPS), MediaCheck.videoFramesCounted(trimmed));
        assertTrue(difference(thumb(trimmed, 5.25, true), thumb(source.get("portrait"), 0.75, true)) < 14);
        assertTrue(difference(thumb(trimmed, 4.0, true), thumb(source.get("friday"), 4.5, true)) < 14);
        assertFalse(progress.isEmpty());
        assertEquals(1.0, progress.getLast());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1) - 1e-9, "progress went backwards: " + progress);
        }

        RenderReport forced = renderer.render(timeline(0.5), trimmed, false, null, null);
        assertEquals(forced.segments(), forced.segmentsRendered());
    }

    @Test
    void fadesRiseFromAndFallToSilenceAcrossChunks() {
        // a 40 s clip (three sound chunks: 1 s, 30 s, 9 s) with 2 s fades; a seam at 1 s, half way up the fade-in
        Asset music = ingest(shared("outfoxing.mp3"));
        Timeline t = new Timeline("t_fade", "fade", 640, 360, 25, List.of(new Track("a", TrackKind.AUDIO,
                List.of(new Clip("m", music.assetId(), 0, 20, 60, null, false, 2.0, 2.0)))), 1, null, null, null, null);
        Path out = dir.resolve("out/fade.webm");
        RenderReport report = renderer.render(t, out, false, null, null);
        assertEquals(3, report.soundChunks());
        double start = meanVolume(out, 0, 0.2);
        double rising = meanVolume(out, 1.0, 1.2);
        double full = meanVolume(out, 3, 3.2);
        double falling = meanVolume(out, 38.8, 39.0);
        double end = meanVolume(out, 39.8, 40);
        assertTrue(start < full - 15, "the fade-in starts near silence: " + start + " vs " + full);
        assertTrue(rising > start + 6 && rising < full, "half way up: " + rising);
        assertTrue(end < full - 15, "the fade-out ends near silence: " + end + " vs " + full);
        assertTrue(falling > end + 6, "half way down: " + falling);
    }

    @Test
    void splicedSoundDecodesAsOneContinuousEncode() {
        // 65 s of music: four chunks (1 s as long as the first segment, 30 s, 30 s, 4 s) encoded apart and spliced at packet boundaries
        Asset music = ingest(shared("outfoxing.mp3"));
        Timeline t = new Timeline("t_sound", "sound", 640, 360, 25, List.of(new Track("a", TrackKind.AUDIO,
                List.of(new Clip("m", music.assetId(), 0, 30, 95, null, false)))), 1, null, null, null, null);
        Path out = dir.resolve("out/sound.webm");
        RenderReport report = renderer.render(t, out, false, null, null);
        assertEquals(4, report.soundChunks());

        // the same mix encoded in one pass with the same settings
        RenderPlan plan = RenderPlan.of(t, studio.assets()::find, 360);
        List<String> cmd = new ArrayList<>(List.of("-ss", "30", "-t", "65", "-i", shared("outfoxing.mp3").toString(),
                "-filter_complex", SegmentedRenderer.audioGraph(plan.audio(), 65 * RenderPlan.SAMPLE_RATE),
                "-map", "[aout]"));
        cmd.addAll(SegmentedRenderer.AUDIO_CODEC);
        Path continuous = MediaCheck.generate(dir.resolve("gen/continuous.ogg"), cmd.toArray(String[]::new));

        float[] spliced = MediaCheck.pcm(out);
        float[] reference = MediaCheck.pcm(continuous);
        assertEquals(2 * 65 * RenderPlan.SAMPLE_RATE, spliced.length, "samples in the proxy's sound");
        assertEquals(reference.length, spliced.length);
        // every 20 ms, seams included: the difference stays well below the sound. The encoder state
        // differs slightly for about 150 ms after a seam (22 to 26 dB measured); a 20 ms gap or a
        // misplaced packet is near 0 dB, a naive join of chunks without pre-roll measured -8 dB.
        int window = 2 * 960;
        double worst = Double.MAX_VALUE;
        for (int from = 0; from + window <= spliced.length; from += window) {
            double signal = 0;
            double noise = 0;
            for (int i = from; i < from + window; i++) {
                signal += reference[i] * reference[i];
                noise += (spliced[i] - reference[i]) * (spliced[i] - reference[i]);
            }
            if (signal > 1e-4) {
                worst = Math.min(worst, 10 * Math.log10(signal / Math.max(noise, 1e-12)));
            }
        }
        assertTrue(worst > 15, "worst 20 ms window: " + worst + " dB above the difference");
    }

    @Test
    void cancellingStopsAndLeavesNoOutput() {
        Path out = dir.resolve("out/cancelled.webm");
        AtomicBoolean cancel = new AtomicBoolean();
        StudioException e = assertThrows(StudioException.class, () -> renderer.render(timeline(0.25), out, false,
                p -> cancel.set(true), cancel::get));
        assertEquals("cancelled", e.code());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownAssetNamesTheClip() {
        Timeline t = new Timeline("t_x", "x", 640, 360, 25, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("cx", "a_missing", 0, 0, 1, null, false)))), 1, null, null, null, null);
        StudioException e = assertThrows(StudioException.class,
                () -> renderer.render(t, dir.resolve("out/x.webm"), true, null, null));
        assertEquals("invalid_timeline", e.code());
        assertTrue(e.getMessage().contains("cx") && e.getMessage().contains("a_missing"), e.getMessage());
        assertEquals("tracks[0].clips[0].asset_id", e.details().getFirst().path());
    }

    @Test
    void editProxyIsSmallWithShortKeyframeInterval() {
        Path ep = renderer.editProxy(a.get("rotated").assetId()).orElseThrow();
        assertEquals("h264", MediaCheck.probe(ep, "v:0", "stream=codec_name"));
        assertEquals("360", MediaCheck.probe(ep, "v:0", "stream=height"));
        assertTrue(renderer.editProxy(a.get("image").assetId()).isEmpty());
        AtomicReference<String> rotation = new AtomicReference<>(MediaCheck.probe(ep, "v:0", "stream_side_data=rotation"));
        assertTrue(rotation.get().isEmpty() || rotation.get().equals("0"), "edit proxy still rotated: " + rotation);
    }

    @Test
    void piecesUnusedForAMonthArePrunedAtStart() throws IOException {
        Path old = studio.mediaRoot().segments().resolve("v-0000.webm");
        Path recent = studio.mediaRoot().segments().resolve("a-0001.ogg");
        Files.write(old, new byte[] {1});
        Files.write(recent, new byte[] {1});
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(31))));
        ProxyRenderer renderer = ProxyRenderer.segmented(studio.mediaRoot(), studio.ffmpeg(), studio.config(), studio.assets());
        assertTrue(Files.exists(old), "building a renderer removes nothing");
        renderer.recover();
        renderer.close();
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent));
        Files.delete(recent);
    }

    @Test
    void variableFrameRateSourcesComeOutAtTheTimelineRate() {
        Asset vfr = ingest(shared("flower-vfr.mp4"));
        renderer.makeEditProxy(vfr, null, null);
        Timeline t = new Timeline("t_vfr", "vfr", 640, 360, 25, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", vfr.assetId(), 0, 0.5, 2.5, null, false)))), 1, null, null, null, null);
        Path out = dir.resolve("out/vfr.webm");
        renderer.render(t, out, true, null, null);
        assertEquals(50, MediaCheck.videoFramesCounted(out));
        assertEquals("25/1", MediaCheck.probe(out, "v:0", "stream=r_frame_rate"));
        assertTrue(difference(thumb(out, 1.0, true), thumb(shared("flower-vfr.mp4"), 1.5, true)) < 14);
    }
}
