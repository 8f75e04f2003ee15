package dev.videostudio.waveform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The stored files, written from spilled or in-memory parts, read back by Jackson and the {@code .dat} reader. */
class WaveformFilesTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void storedJsonAndDatHoldEveryPixelOfEveryPart(boolean spill, @TempDir Path dir) throws Exception {
        Random r = new Random(3);
        List<PeakTable> parts = new ArrayList<>();
        short[] minMax = new short[4];
        short[] merged = new short[2];
        short[] bands = new short[3];
        for (int p = 0; p < 3; p++) {
            PeakTable t = spill ? PeakTable.onDisk(2, dir.resolve("part" + p)) : PeakTable.inMemory(2, 100);
            for (int i = 0; i < 7001 + p; i++) {
                for (int k = 0; k < 4; k++) {
                    minMax[k] = (short) r.nextInt(65536);
                }
                merged[0] = i == 0 ? Short.MIN_VALUE : (short) r.nextInt(65536);
                merged[1] = i == 0 ? Short.MAX_VALUE : (short) r.nextInt(65536);
                for (int k = 0; k < 3; k++) {
                    bands[k] = (short) (i % 10 == 0 ? 0 : r.nextInt(Short.MAX_VALUE + 1));
                }
                t.pixel(minMax, merged, bands);
            }
            parts.add(t);
        }
        try (WaveformDecoder.Decoded d = new WaveformDecoder.Decoded(2, 48000, 256, 0, parts)) {
            Path json = dir.resolve("w.json");
            Path dat = dir.resolve("w.dat");
            try (OutputStream out = Files.newOutputStream(json)) {
                WaveformFiles.writeJson(d, out);
            }
            try (OutputStream out = Files.newOutputStream(dat)) {
                WaveformFiles.writeDat(d, out);
            }
            Waveform expected = WaveformFiles.merged(d);
            Waveform stored = WaveformFiles.readJson(json);
            assertEquals(21006, stored.length());
            assertEquals(expected.sampleRate(), stored.sampleRate());
            assertEquals(expected.samplesPerPixel(), stored.samplesPerPixel());
            assertEquals(2, stored.sourceChannels());
            assertArrayEquals(expected.data(), stored.data());
            assertArrayEquals(new int[] {PeakAccumulator.LOW_HZ, PeakAccumulator.HIGH_HZ}, stored.bands().edgesHz());
            assertArrayEquals(expected.bands().low(), stored.bands().low());
            assertArrayEquals(expected.bands().mid(), stored.bands().mid());
            assertArrayEquals(expected.bands().high(), stored.bands().high());
            Waveform split = WaveformFiles.readDat(dat, null);
            assertEquals(2, split.channels());
            assertArrayEquals(WaveformFiles.split(d, null).data(), split.data());
        }
    }
}
