package dev.videostudio.waveform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videostudio.StudioException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Levels from stored data equal a direct computation at the coarser resolution. */
class LevelsTest {

    static Waveform direct(short[] interleaved, int channels, int spp) {
        List<short[]> pixels = new ArrayList<>();
        List<short[]> bands = new ArrayList<>();
        byte[] pcm = new byte[interleaved.length * 2];
        for (int i = 0; i < interleaved.length; i++) {
            pcm[2 * i] = (byte) interleaved[i];
            pcm[2 * i + 1] = (byte) (interleaved[i] >> 8);
        }
        PeakAccumulator acc = new PeakAccumulator(channels, 44100, spp, (mm, m, b) -> {
            pixels.add(mm.clone());
            bands.add(b.clone());
        });
        acc.accept(pcm, 0, interleaved.length / channels);
        acc.finish();
        int[] data = new int[pixels.size() * 2 * channels];
        int[][] bandData = new int[3][pixels.size()];
        for (int i = 0; i < pixels.size(); i++) {
            for (int k = 0; k < 2 * channels; k++) {
                data[i * 2 * channels + k] = pixels.get(i)[k];
            }
            for (int b = 0; b < 3; b++) {
                bandData[b][i] = bands.get(i)[b];
            }
        }
        return new Waveform(2, channels, 44100, spp, 16, pixels.size(), data,
                new Waveform.Bands(new int[] {250, 4000}, bandData[0], bandData[1], bandData[2]), channels);
    }

    static short[] noise(int n, long seed) {
        Random r = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (r.nextGaussian() * 6000);
        }
        return s;
    }

    @Test
    void coarserLevelEqualsDirectComputation() {
        short[] s = noise(2 * 100_003, 1);
        Waveform base = direct(s, 2, 256);
        Waveform reduced = base.level(1024, 16);
        Waveform expected = direct(s, 2, 1024);
        assertEquals(expected.length(), reduced.length());
        assertEquals((100_003 + 1023) / 1024, reduced.length());
        assertEquals(1024, reduced.samplesPerPixel());
        assertArrayEquals(expected.data(), reduced.data());
        // bands: root of the mean square of the four finer values
        int[] low = base.bands().low();
        double ms = 0;
        for (int i = 4; i < 8; i++) {
            ms += (double) low[i] * low[i];
        }
        assertEquals((int) Math.round(Math.sqrt(ms / 4)), reduced.bands().low()[1]);
    }

    @Test
    void roundsToAWholeMultipleAndScalesBits() {
        Waveform base = direct(noise(10_000, 2), 1, 256);
        assertSame(base, base.level(256, 16));
        assertEquals(256, base.level(100, 16).samplesPerPixel(), "never finer than the stored level");
        assertEquals(768, base.level(700, 16).samplesPerPixel());
        assertEquals(17 * 256, base.levelForPixelsPerSecond(10, 16).samplesPerPixel());
        Waveform eight = base.level(256, 8);
        assertEquals(8, eight.bits());
        for (int i = 0; i < base.data().length; i++) {
            assertEquals(base.data()[i] >> 8, eight.data()[i]);
        }
        assertThrows(StudioException.class, () -> eight.level(256, 16));
        assertThrows(StudioException.class, () -> base.level(256, 12));
    }

    @Test
    void streamingReadsGiveTheSameLevels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Waveform base = direct(noise(2 * 40_000, 4), 2, 256);
        java.nio.file.Path json = dir.resolve("w.json");
        java.nio.file.Path dat = dir.resolve("w.dat");
        dev.videostudio.StudioJson.mapper().writeValue(json.toFile(), base);
        try (var out = java.nio.file.Files.newOutputStream(dat)) {
            base.writeDat(out);
        }
        for (WaveformQuery q : java.util.List.of(new WaveformQuery(false, 1024, null, 8),
                new WaveformQuery(false, null, 20.0, 16), WaveformQuery.stored())) {
            Waveform expected = q.apply(base);
            Waveform fromJson = WaveformFiles.readJsonLevel(json, q);
            assertEquals(expected.samplesPerPixel(), fromJson.samplesPerPixel());
            assertEquals(expected.length(), fromJson.length());
            assertEquals(expected.bits(), fromJson.bits());
            assertArrayEquals(expected.data(), fromJson.data());
            assertArrayEquals(expected.bands().high(), fromJson.bands().high());
            Waveform fromDat = WaveformFiles.readDatLevel(dat, q, null);
            assertArrayEquals(expected.data(), fromDat.data());
            assertEquals(expected.length(), fromDat.length());
        }
    }

    @Test
    void datRoundTrip() throws Exception {
        Waveform base = direct(noise(3 * 5000, 3), 3, 256);
        for (int bits : new int[] {16, 8}) {
            Waveform w = base.level(512, bits);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            w.writeDat(out);
            assertEquals(24 + w.length() * 3 * 2 * (bits / 8), out.size());
            Waveform back = WaveformFiles.readDat(new ByteArrayInputStream(out.toByteArray()), null);
            assertEquals(3, back.channels());
            assertEquals(bits, back.bits());
            assertEquals(512, back.samplesPerPixel());
            assertEquals(w.length(), back.length());
            assertArrayEquals(w.data(), back.data());
        }
    }
}
