package dev.videostudio.waveform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videostudio.StudioException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The level pyramid: every level and every tile read from it equals the stored level reduced. */
class LevelFileTest {

    @TempDir
    static Path dir;
    static Waveform stored;
    static Path levels;
    static Path legacyLevels;

    @BeforeAll
    static void write() throws Exception {
        Random r = new Random(5);
        List<PeakTable> parts = new ArrayList<>();
        short[] minMax = new short[4];
        short[] merged = new short[2];
        short[] bands = new short[3];
        for (int p = 0; p < 2; p++) {
            PeakTable t = PeakTable.onDisk(2, dir.resolve("part" + p));
            for (int i = 0; i < 40_001 + 777 * p; i++) {
                int a = r.nextInt(65536) - 32768;
                int b = r.nextInt(65536) - 32768;
                merged[0] = (short) Math.min(a, b);
                merged[1] = (short) Math.max(a, b);
                for (int k = 0; k < 3; k++) {
                    bands[k] = (short) (i % 10 == 0 ? 0 : r.nextInt(Short.MAX_VALUE + 1));
                }
                t.pixel(minMax, merged, bands);
            }
            parts.add(t);
        }
        levels = dir.resolve("w.levels");
        legacyLevels = dir.resolve("legacy.levels");
        try (WaveformDecoder.Decoded d = new WaveformDecoder.Decoded(2, 44100, 256, 0, parts)) {
            try (OutputStream out = Files.newOutputStream(levels)) {
                WaveformFiles.writeLevels(d, out);
            }
            stored = WaveformFiles.merged(d);
        }
        try (OutputStream out = Files.newOutputStream(legacyLevels)) {
            WaveformFiles.writeLevels(stored, out);
        }
    }

    private static Waveform read(Path file, WaveformQuery q) throws Exception {
        try (LevelFile.Reader r = new LevelFile.Reader(file)) {
            return Levels.fromPyramid(r, q);
        }
    }

    private static void assertSame(Waveform expected, Waveform actual) {
        assertEquals(expected.length(), actual.length());
        assertEquals(expected.samplesPerPixel(), actual.samplesPerPixel());
        assertEquals(expected.bits(), actual.bits());
        assertEquals(expected.sourceChannels(), actual.sourceChannels());
        assertArrayEquals(expected.data(), actual.data());
        assertArrayEquals(expected.bands().edgesHz(), actual.bands().edgesHz());
        assertArrayEquals(expected.bands().low(), actual.bands().low());
        assertArrayEquals(expected.bands().mid(), actual.bands().mid());
        assertArrayEquals(expected.bands().high(), actual.bands().high());
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512, 1024, 1280, 3072, 4096, 12288, 16384, 65536, 131072, 256 * 1000})
    void everyLevelEqualsTheStoredLevelReduced(int spp) throws Exception {
        for (int bits : new int[] {16, 8}) {
            Waveform expected = stored.level(spp, bits);
            WaveformQuery q = new WaveformQuery(false, spp, null, bits);
            assertSame(expected, read(levels, q));
            assertSame(expected, read(legacyLevels, q));
        }
    }

    /** The binary answer made straight from the records is the one encoded from the level, byte for byte. */
    @ParameterizedTest
    @ValueSource(ints = {256, 512, 1024, 1280, 4096, 12288, 65536, 131072, 256 * 1000})
    void binaryAnswersMadeFromTheRecordsEqualTheEncodedLevel(int spp) throws Exception {
        double tileSeconds = (double) WaveformQuery.TILE_PIXELS * spp / stored.sampleRate();
        for (Path file : List.of(levels, legacyLevels)) {
            for (int bits : new int[] {16, 8}) {
                for (boolean bands : new boolean[] {false, true}) {
                    List<WaveformQuery> queries = List.of(new WaveformQuery(false, spp, null, bits),
                            new WaveformQuery(false, spp, null, bits, tileSeconds, 2 * tileSeconds),
                            new WaveformQuery(false, spp, null, bits, 1e6, null));
                    for (WaveformQuery q : queries) {
                        byte[] expected = WaveformFiles.binary(read(file, q), bands);
                        try (LevelFile.Reader r = new LevelFile.Reader(file)) {
                            assertArrayEquals(expected, Levels.binaryFromPyramid(r, q, bands), q + " bands " + bands);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512, 4096, 65536})
    void tilesPutTogetherEqualTheWholeLevel(int spp) throws Exception {
        Waveform whole = stored.level(spp, 8);
        double tileSeconds = (double) WaveformQuery.TILE_PIXELS * spp / stored.sampleRate();
        int tiles = (whole.length() + WaveformQuery.TILE_PIXELS - 1) / WaveformQuery.TILE_PIXELS;
        List<Waveform> parts = new ArrayList<>();
        for (int i = 0; i < tiles; i++) {
            Waveform t = read(levels, new WaveformQuery(false, spp, null, 8, i * tileSeconds, (i + 1) * tileSeconds));
            assertEquals(i == tiles - 1 ? whole.length() - i * WaveformQuery.TILE_PIXELS : WaveformQuery.TILE_PIXELS,
                    t.length(), "tile " + i);
            parts.add(t);
        }
        int[] data = parts.stream().flatMapToInt(w -> java.util.Arrays.stream(w.data())).toArray();
        int[] low = parts.stream().flatMapToInt(w -> java.util.Arrays.stream(w.bands().low())).toArray();
        int[] high = parts.stream().flatMapToInt(w -> java.util.Arrays.stream(w.bands().high())).toArray();
        assertArrayEquals(whole.data(), data);
        assertArrayEquals(whole.bands().low(), low);
        assertArrayEquals(whole.bands().high(), high);
    }

    @Test
    void aSpanIsWidenedToWholeTilesAndClampedToTheEnd() {
        int tile = WaveformQuery.TILE_PIXELS;
        // 256 samples per pixel at 44.1 kHz: a tile is 5.94 s
        assertEquals(new Levels.Span(tile, 3 * tile, 10_000),
                Levels.span(new WaveformQuery(false, null, null, 8, 6.0, 15.0), 256, 44100, 10_000));
        assertEquals(new Levels.Span(9 * tile, 10_000, 10_000),
                Levels.span(new WaveformQuery(false, null, null, 8, 55.0, null), 256, 44100, 10_000));
        assertEquals(new Levels.Span(10_000, 10_000, 10_000),
                Levels.span(new WaveformQuery(false, null, null, 8, 500.0, 600.0), 256, 44100, 10_000));
        assertThrows(StudioException.class,
                () -> Levels.span(new WaveformQuery(false, null, null, 8, 5.0, 5.0), 256, 44100, 10_000));
        assertThrows(StudioException.class,
                () -> Levels.span(new WaveformQuery(false, null, null, 8, -1.0, 5.0), 256, 44100, 10_000));
    }

    /** The job's prepared answers: the finest whole level only (the next is under the size), byte for byte, with tag and gzip. */
    @Test
    void preparedAnswersAreTheEncodedLevelsWithTheirTagAndGzip() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("prepared"));
        PreparedAnswers prepared = new PreparedAnswers(folder);
        java.util.function.Function<WaveformQuery, byte[]> encode = q -> {
            try (LevelFile.Reader r = new LevelFile.Reader(levels)) {
                return Levels.binaryFromPyramid(r, q, true);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        prepared.prepare("a_x", encode, body -> "\"t" + body.length + "\"");

        WaveformQuery finest = new WaveformQuery(false, 256, null, 8);
        byte[] expected = encode.apply(finest);
        WaveformAnswer a = prepared.find("a_x", finest, WaveformFormat.DAT_BANDS).orElseThrow();
        assertArrayEquals(expected, a.body());
        assertEquals("\"t" + expected.length + "\"", a.etag());
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(a.gzip()))) {
            assertArrayEquals(expected, in.readAllBytes());
        }
        assertEquals(true, expected.length >= PreparedAnswers.MIN_BYTES);
        assertEquals(true, encode.apply(new WaveformQuery(false, 512, null, 8)).length < PreparedAnswers.MIN_BYTES);
        assertEquals(java.util.Optional.empty(), prepared.find("a_x", new WaveformQuery(false, 512, null, 8), WaveformFormat.DAT_BANDS));
        assertEquals(java.util.Optional.empty(), prepared.find("a_x", new WaveformQuery(false, 256, null, 8, 0.0, 10.0), WaveformFormat.DAT_BANDS));
        assertEquals(java.util.Optional.empty(), prepared.find("a_x", finest, WaveformFormat.DAT));
        assertEquals(java.util.Optional.empty(), prepared.find("a_x", new WaveformQuery(false, 256, null, 16), WaveformFormat.DAT_BANDS));
        assertEquals(java.util.Optional.empty(), prepared.find("a_other", finest, WaveformFormat.DAT_BANDS));

        prepared.delete("a_x");
        assertEquals(java.util.Optional.empty(), prepared.find("a_x", finest, WaveformFormat.DAT_BANDS));
        try (var left = Files.list(folder)) {
            assertEquals(0, left.count());
        }
    }
}
