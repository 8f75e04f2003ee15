package dev.videostudio.waveform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our peaks against an independent computation: the test decodes the same file with its own
 * ffmpeg run to raw PCM and computes every pixel in a plain loop.
 */
class WaveformDecoderTest {

    private static final Path MEDIA = Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"));
    private static final int SPP = 256;
    private final FFmpegTools ffmpeg = FFmpegTools.locate(StudioConfig.defaults());

    /** Reference pixels: per channel min/max, then downmix min/max, and the sample count. */
    record Reference(int channels, long samples, int[] split, int[] merged) {
    }

    static Reference reference(Path file, int channels) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(),
                "-map", "0:a:0", "-f", "s16le", "-c:a", "pcm_s16le", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<int[]> split = new ArrayList<>();
        List<int[]> merged = new ArrayList<>();
        long samples = 0;
        int[] px = null;
        int[] mx = null;
        try (InputStream in = new BufferedInputStream(p.getInputStream(), 1 << 16)) {
            byte[] frame = new byte[2 * channels];
            while (in.readNBytes(frame, 0, frame.length) == frame.length) {
                if (samples % SPP == 0) {
                    px = new int[2 * channels];
                    for (int c = 0; c < channels; c++) {
                        px[2 * c] = Integer.MAX_VALUE;
                        px[2 * c + 1] = Integer.MIN_VALUE;
                    }
                    mx = new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE};
                    split.add(px);
                    merged.add(mx);
                }
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    int s = (short) ((frame[2 * c] & 0xff) | (frame[2 * c + 1] << 8));
                    sum += s;
                    px[2 * c] = Math.min(px[2 * c], s);
                    px[2 * c + 1] = Math.max(px[2 * c + 1], s);
                }
                int mix = Math.floorDiv(sum, channels);
                mx[0] = Math.min(mx[0], mix);
                mx[1] = Math.max(mx[1], mix);
                samples++;
            }
        }
        assertEquals(0, p.waitFor());
        return new Reference(channels, samples, flatten(split), flatten(merged));
    }

    private static int[] flatten(List<int[]> rows) {
        return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    @ParameterizedTest
    @CsvSource({
        "outfoxing.mp3, mp3, 97.436735, 44100, 2, 4, true",
        "outfoxing.mp3, mp3, 97.436735, 44100, 2, 4, false",
        "JustLikeTheWorld.flac, flac, 9.444059, 44100, 1, 2, false",
        "LluviasDeMayo.flac, flac, 15.553333, 44100, 2, 2, true",
        "friday.mp4, mov, 6.166, 44100, 2, 2, false",
        "rotate-buck-bunny.mp4, mov, 2.005333, 48000, 6, 2, true",
        "trim-buck-bunny.webm, matroska, 5.02, 48000, 2, 2, false",
        "music-kevin-macleod-cc0.mp3, mp3, 30.040816, 44100, 2, 2, true",
    })
    void peaksMatchAnIndependentDecode(String name, String demuxer, double duration, int rate, int channels,
                                       int parallelism, boolean spill, @TempDir Path spillDir) throws Exception {
        Path file = MEDIA.resolve(name);
        List<Double> progress = new CopyOnWriteArrayList<>();
        WaveformDecoder.Decoded d = new WaveformDecoder(ffmpeg, parallelism)
                .decode(file, demuxer, duration, rate, SPP, progress::add, () -> false, spill ? spillDir : null);
        if (spill) {
            try (var files = Files.list(spillDir)) {
                assertEquals(6L * d.parts().size(), files.count(), "per part: records, .dat body and the 4 JSON arrays");
            }
        }
        Reference ref = reference(file, channels);

        assertEquals(channels, d.channels(), "channel layout");
        assertEquals(rate, d.sampleRate());
        assertEquals(ref.samples(), d.frames(), "samples");
        assertEquals((ref.samples() + SPP - 1) / SPP, d.length(), "length == ceil(samples / samples_per_pixel)");
        Waveform merged = WaveformFiles.merged(d);
        Waveform split = WaveformFiles.split(d, merged.bands());
        assertEquals(channels, split.channels());
        // first and last pixels exactly, then every pixel (seams of parallel parts included)
        int m = merged.data().length;
        assertEquals(ref.merged()[0], merged.data()[0]);
        assertEquals(ref.merged()[1], merged.data()[1]);
        assertEquals(ref.merged()[m - 2], merged.data()[m - 2]);
        assertEquals(ref.merged()[m - 1], merged.data()[m - 1]);
        assertArrayEquals(ref.merged(), merged.data(), "downmix peaks");
        assertArrayEquals(ref.split(), split.data(), "per-channel peaks");
        assertEquals(d.length(), merged.bands().low().length);
        if (name.equals("outfoxing.mp3")) {
            assertEquals(4, d.parts().size(), "the long file should decode in parallel parts");
        }
        double last = 0;
        for (double p : progress) {
            assertTrue(p >= last && p <= 1.0);
            last = p;
        }
        assertEquals(1.0, last);
        d.close();
        try (var files = Files.list(spillDir)) {
            assertEquals(0, files.count(), "spill files left behind");
        }
    }

    @Test
    void aSeamThatIsNotSampleExactFallsBackToOneDecode() throws Exception {
        // Vorbis in WebM does not seek sample-exactly: the seam check must catch it
        Path file = MEDIA.resolve("tears-of-steel-battle-clip-medium.webm");
        WaveformDecoder.Decoded d = new WaveformDecoder(ffmpeg, 2, java.util.Set.of("matroska"))
                .decode(file, "matroska", 70.542, 44100, SPP, null, () -> false);
        Reference ref = reference(file, 2);
        assertEquals(1, d.parts().size(), "expected the fallback to a single decode");
        assertEquals(ref.samples(), d.frames());
        assertArrayEquals(ref.split(), WaveformFiles.split(d, null).data());
    }

    @Test
    void videoWithoutAudioIsNoAudio() {
        StudioException e = assertThrows(StudioException.class, () -> new WaveformDecoder(ffmpeg, 2)
                .decode(MEDIA.resolve("flower-noaudio.mp4"), "mov", 5.0, null, SPP, null, () -> false));
        assertEquals("no_audio", e.code());
    }

    @Test
    void cancelStopsTheDecode() {
        StudioException e = assertThrows(StudioException.class, () -> new WaveformDecoder(ffmpeg, 2)
                .decode(MEDIA.resolve("outfoxing.mp3"), "mp3", 97.4, 44100, SPP, null, () -> true));
        assertEquals("cancelled", e.code());
        assertTrue(Files.exists(MEDIA.resolve("outfoxing.mp3")));
    }
}
