package dev.videostudio.proxy;

import static dev.videostudio.proxy.MediaCheck.shared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real render with its live stream watched while it grows: a 12 s timeline of six 2 s clips
 * over two music clips, a seek to 10.5 s once the first segment is listed.
 */
class LiveStreamTest {

    private static final double LENGTH = 12;

    @TempDir
    static Path dir;
    static VideoStudio studio;
    static Timeline timeline;
    static Path playlist;
    static Path fromPlaylist;
    /** Each distinct content of the main playlist, in the order seen. */
    static final List<String> seen = new ArrayList<>();
    /** True when the seek's playlist listed its first segment while the main one had not reached it. */
    static boolean seekPlayedFirst;
    static Optional<LiveStream.Start> seek;
    static Path proxy;

    @BeforeAll
    static void renderWhileWatching() throws Exception {
        studio = VideoStudio.builder().mediaRoot(dir.resolve("media")).build();
        ProxyRenderer renderer = ProxyRenderer.segmented(studio.mediaRoot(), studio.ffmpeg(), studio.config(), studio.assets());
        Asset friday = ingest(shared("friday.mp4"));
        Asset flower = ingest(shared("flower.mp4"));
        Asset music = ingest(shared("outfoxing.mp3"));
        renderer.makeEditProxy(friday, null, null);
        renderer.makeEditProxy(flower, null, null);
        List<Clip> pictures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pictures.add(new Clip("v" + i, (i % 2 == 0 ? friday : flower).assetId(), 2 * i, 1, 3, null, true));
        }
        timeline = new Timeline("t_live", "live", 1280, 720, 30, List.of(
                new Track("v", TrackKind.VIDEO, pictures),
                new Track("a", TrackKind.AUDIO, List.of(new Clip("m1", music.assetId(), 0, 30, 37, null, false),
                        new Clip("m2", music.assetId(), 7, 50, 55, null, false)))), 1, null, null, null, null);
        LiveStream live = new LiveStream(studio.mediaRoot().proxies(), "t_live.live-test");
        playlist = studio.mediaRoot().proxies().resolve("t_live.live-test.m3u8");
        proxy = dir.resolve("out/live.webm");
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<RenderReport> render = CompletableFuture.supplyAsync(() -> {
            try {
                return renderer.render(timeline, proxy, false, null, null, live);
            } finally {
                done.set(true);
            }
        });
        while (!done.get()) {
            String now = read(playlist);
            if (now != null && (seen.isEmpty() || !seen.getLast().equals(now))) {
                seen.add(now);
            }
            if (now != null && seek == null) {
                seek = live.prioritise(10.5);
                fromPlaylist = studio.mediaRoot().proxies().resolve("t_live.live-test.from-"
                        + segmentAt(live, 10.5) + ".m3u8");
            }
            if (fromPlaylist != null && !seekPlayedFirst) {
                String from = read(fromPlaylist);
                String main = read(playlist);
                seekPlayedFirst = from != null && from.contains(".m4s") && main != null
                        && segments(main).size() <= segmentAt(live, 10.5);
            }
            Thread.sleep(5);
        }
        render.get();
        String last = read(playlist);
        if (!last.equals(seen.getLast())) {
            seen.add(last);
        }
    }

    private static int segmentAt(LiveStream live, double seconds) {
        double[] cuts = {0, 1, 2, 3, 4, 6, 8, 10}; // the plan cuts at 1 s, 3 s and every clip (every 2 s)
        int k = 0;
        while (k + 1 < cuts.length && cuts[k + 1] <= seconds) {
            k++;
        }
        return k;
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> segments(String m3u8) {
        return m3u8.lines().filter(l -> l.endsWith(".m4s")).toList();
    }

    private static double listedSeconds(String m3u8) {
        return m3u8.lines().filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.indexOf(',')))).sum();
    }

    @Test
    void playlistGrowsInPlaybackOrderAndEnds() {
        assertTrue(seen.size() >= 3, "the playlist was seen growing: " + seen.size() + " versions");
        List<String> all = segments(seen.getLast());
        assertEquals(8, all.size(), seen.getLast());
        for (int k = 0; k < all.size(); k++) {
            assertEquals("t_live.live-test." + k + ".m4s", all.get(k));
        }
        for (int v = 0; v < seen.size(); v++) {
            String m3u8 = seen.get(v);
            assertTrue(m3u8.contains("#EXT-X-PLAYLIST-TYPE:EVENT"), m3u8);
            assertTrue(m3u8.contains("#EXT-X-MAP:URI=\"t_live.live-test.init.mp4\""), m3u8);
            List<String> listed = segments(m3u8);
            assertFalse(listed.isEmpty(), "a playlist is written once it lists a segment");
            assertEquals(all.subList(0, listed.size()), listed, "a prefix of the final list, in playback order");
            assertEquals(v == seen.size() - 1, m3u8.contains("#EXT-X-ENDLIST"), m3u8);
        }
        assertEquals(LENGTH, listedSeconds(seen.getLast()), 1e-3);
    }

    @Test
    void aSeekPlaysItsPartBeforeTheSegmentsInBetween() {
        assertTrue(seek != null && seek.isEmpty(), "nothing to play at 10.5 s yet when asked");
        String from = read(fromPlaylist);
        assertEquals(List.of("t_live.live-test.7.m4s"), segments(from));
        assertTrue(from.contains("#EXT-X-ENDLIST") && from.contains("#EXT-X-MEDIA-SEQUENCE:7"), from);
        assertTrue(seekPlayedFirst, "the segment at 10.5 s was listed before the main playlist reached it");
    }

    @Test
    void ffprobeReadsThePlaylistAsOneStreamOfTheTimelinesLength() {
        String probe = new String(MediaCheck.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "format=duration:stream=codec_name", "-of", "csv=p=0", playlist.toString())));
        List<String> lines = probe.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertTrue(lines.contains("vp9") && lines.contains("opus"), probe);
        double duration = Double.parseDouble(lines.getLast());
        assertEquals(LENGTH, duration, 0.05, probe);
        // the final file is the same segments joined: VP9 + Opus WebM of the same length
        assertEquals(Math.round(LENGTH * 30), MediaCheck.videoFramesCounted(proxy));
    }

    @Test
    void segmentsCachedByARenderWithoutAStreamAreRemuxedForOne() throws Exception {
        // the segment encoder writes the stream's fMP4 only when a stream is watched for: a render
        // without one (the command line) leaves WebM pieces only, which a later stream remuxes
        ProxyRenderer renderer = ProxyRenderer.segmented(studio.mediaRoot(), studio.ffmpeg(), studio.config(), studio.assets());
        String friday = timeline.tracks().getFirst().clips().getFirst().assetId();
        Timeline plain = new Timeline("t_plain", "plain", 1280, 720, 30, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("p", friday, 0, 0.2, 2.2, null, false)))), 1, null, null, null, null);
        RenderReport first = renderer.render(plain, dir.resolve("out/plain.webm"), true, null, null, null);
        RenderPlan plan = RenderPlan.of(plain, studio.assets()::find, 360);
        SegmentedRenderer segmented = (SegmentedRenderer) renderer;
        for (RenderPlan.Segment s : plan.segments()) {
            assertTrue(Files.isRegularFile(segmented.segmentFile(s)));
            assertFalse(Files.exists(segmented.liveSegmentFile(s)), "no fMP4 without a stream");
        }
        LiveStream live = new LiveStream(studio.mediaRoot().proxies(), "t_plain.live-test");
        RenderReport again = renderer.render(plain, dir.resolve("out/plain2.webm"), true, null, null, live);
        assertEquals(first.segments(), again.segments());
        assertEquals(0, again.segmentsRendered(), "every picture segment came from the cache");
        Path m3u8 = studio.mediaRoot().proxies().resolve("t_plain.live-test.m3u8");
        assertEquals(plan.segments().size(), segments(Files.readString(m3u8)).size());
        String probe = new String(MediaCheck.run(List.of("ffprobe", "-v", "error", "-show_entries",
                "format=duration", "-of", "csv=p=0", m3u8.toString()))).strip();
        assertEquals(2.0, Double.parseDouble(probe), 0.05, probe);
        renderer.close();
    }

    @Test
    void soundHasNoGapAtTheSeams() {
        RenderPlan plan = RenderPlan.of(timeline, studio.assets()::find, 360);
        List<String> cmd = new ArrayList<>();
        for (RenderPlan.AudioPart p : plan.audio()) {
            cmd.addAll(List.of("-ss", MediaCheck.fmt(p.sourceIn()), "-t", MediaCheck.fmt(p.duration()),
                    "-i", shared("outfoxing.mp3").toString()));
        }
        long samples = Math.round(LENGTH * RenderPlan.SAMPLE_RATE);
        cmd.addAll(List.of("-filter_complex", SegmentedRenderer.audioGraph(plan.audio(), samples), "-map", "[aout]"));
        cmd.addAll(SegmentedRenderer.AUDIO_CODEC);
        float[] reference = MediaCheck.pcm(MediaCheck.generate(dir.resolve("continuous.ogg"), cmd.toArray(String[]::new)));
        float[] stream = MediaCheck.pcm(playlist);
        // the stream's pieces carry no pre-skip of their own: its sound starts with the encoder's delay
        int delay = 2 * 312;
        // Seams: where a sound chunk starts (encoded apart, spliced) and where an HLS segment starts
        // (the same packets, cut between two files). As in the splice test, the 150 ms after a chunk
        // seam are left out (the encoder state differs a little there; at 7 s the mix also cuts from
        // one clip to the other); a gap or a lost packet anywhere would shift everything after it.
        List<Double> chunkSeams = new ArrayList<>();
        for (RenderPlan.SoundChunk c : plan.sound()) {
            chunkSeams.add((double) c.start() / RenderPlan.SAMPLE_RATE);
        }
        List<Double> segmentSeams = new ArrayList<>();
        for (RenderPlan.Segment s : plan.segments()) {
            segmentSeams.add(plan.fps().seconds(s.startFrame()));
        }
        int window = 2 * 960;
        double worst = Double.MAX_VALUE;
        double worstAt = -1;
        double worstAtSegmentSeam = Double.MAX_VALUE;
        for (int from = 0; from + window <= reference.length && from + delay + window <= stream.length; from += window) {
            double signal = 0;
            double noise = 0;
            for (int i = from; i < from + window; i++) {
                signal += reference[i] * reference[i];
                double d = stream[i + delay] - reference[i];
                noise += d * d;
            }
            double t = from / 2.0 / RenderPlan.SAMPLE_RATE;
            if (signal <= 1e-4 || chunkSeams.stream().anyMatch(c -> t + 0.02 > c - 0.02 && t < c + 0.15)) {
                continue;
            }
            double db = 10 * Math.log10(signal / Math.max(noise, 1e-12));
            if (db < worst) {
                worst = db;
                worstAt = t;
            }
            if (segmentSeams.stream().anyMatch(c -> t + 0.02 > c - 0.02 && t < c + 0.15)) {
                worstAtSegmentSeam = Math.min(worstAtSegmentSeam, db);
            }
        }
        assertTrue(stream.length >= reference.length, "stream " + stream.length + " samples, mix " + reference.length);
        // 38 dB measured (the chunk after 7 s is mixed and encoded on its own); a gap is about 0 dB
        assertTrue(worst > 30, "the stream decodes as the continuous encode: worst " + worst + " dB at " + worstAt + " s");
        assertTrue(worstAtSegmentSeam > 30 && worstAtSegmentSeam < Double.MAX_VALUE,
                "at the HLS segment seams: " + worstAtSegmentSeam + " dB");
    }
}
