package dev.videostudio.waveform;

import dev.videostudio.StudioException;

/**
 * Coarser zoom levels from finer ones: exact, because the min of mins and the max of maxes are
 * the min and max; band energies combine as the root of the mean square. The reducers take the
 * finer values one by one, so a level can be computed while the stored file streams by.
 */
final class Levels {

    private Levels() {
    }

    /** How to go from a stored level to the one asked for. */
    record Plan(int factor, int shift, int bits) {
        int samplesPerPixel(int base) {
            return base * factor;
        }

        int length(int baseLength) {
            return (int) ((baseLength + (long) factor - 1) / factor);
        }
    }

    /**
     * @param samplesPerPixel target, rounded to a whole multiple of {@code baseSpp} (at least 1x)
     */
    static Plan plan(int baseSpp, int baseBits, int samplesPerPixel, int bits) {
        if (bits != 8 && bits != 16) {
            throw StudioException.malformed("bits must be 8 or 16");
        }
        if (bits > baseBits) {
            throw StudioException.malformed("a " + baseBits + "-bit waveform cannot give " + bits + " bits");
        }
        if (samplesPerPixel < 1) {
            throw StudioException.malformed("samples_per_pixel must be positive");
        }
        int factor = (int) Math.max(1, Math.round((double) samplesPerPixel / baseSpp));
        return new Plan(factor, baseBits - bits, bits);
    }

    /** The target samples per pixel of a query on a stored level. */
    static int target(WaveformQuery q, int baseSpp, int sampleRate) {
        if (q.samplesPerPixel() != null) {
            return q.samplesPerPixel();
        }
        if (q.pixelsPerSecond() != null) {
            if (!(q.pixelsPerSecond() > 0)) {
                throw StudioException.malformed("pixels_per_second must be positive");
            }
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(sampleRate / q.pixelsPerSecond())));
        }
        return baseSpp;
    }

    static Waveform reduce(Waveform w, int samplesPerPixel, int bits) {
        Plan plan = plan(w.samplesPerPixel(), w.bits(), samplesPerPixel, bits);
        if (plan.factor() == 1 && plan.shift() == 0) {
            return w;
        }
        Peaks peaks = new Peaks(w.channels(), plan, w.length());
        for (int v : w.data()) {
            peaks.add(v);
        }
        Waveform.Bands bands = null;
        if (w.bands() != null) {
            bands = new Waveform.Bands(w.bands().edgesHz(), Energies.of(w.bands().low(), plan),
                    Energies.of(w.bands().mid(), plan), Energies.of(w.bands().high(), plan));
        }
        return new Waveform(2, w.channels(), w.sampleRate(), plan.samplesPerPixel(w.samplesPerPixel()), plan.bits(),
                plan.length(w.length()), peaks.data(), bands, w.sourceChannels());
    }

    /** Pixels {@code [first, end)} of a level of {@code total} pixels. */
    record Span(int first, int end, int total) {
        int size() {
            return end - first;
        }
    }

    /**
     * The pixels of a level that {@code q}'s start and end cover, widened to whole tiles of
     * {@link WaveformQuery#TILE_PIXELS} (a span past the end is empty). The small tolerance lets a
     * client name a tile's edge in seconds without rounding it into the next tile.
     */
    static Span span(WaveformQuery q, int spp, int sampleRate, int total) {
        if (!q.isRange()) {
            return new Span(0, total, total);
        }
        double start = q.start() == null ? 0 : q.start();
        double end = q.end() == null ? Double.POSITIVE_INFINITY : q.end();
        if (!(start >= 0) || !(end > start)) {
            throw StudioException.malformed("start and end must be seconds with 0 <= start < end");
        }
        double pps = (double) sampleRate / spp;
        int tile = WaveformQuery.TILE_PIXELS;
        long first = (long) Math.floor(start * pps + 1e-6) / tile * tile;
        double last = Math.ceil(end * pps - 1e-6);
        long stop = last >= total ? total : Math.min(total, ((long) last + tile - 1) / tile * tile);
        first = Math.min(first, total);
        return new Span((int) first, (int) Math.max(first, stop), total);
    }

    /** Pixels {@code span} of a whole level (channels interleaved, bands sliced alike). */
    static Waveform slice(Waveform w, Span span) {
        if (span.first() == 0 && span.end() == w.length()) {
            return w;
        }
        int per = 2 * w.channels();
        int[] data = java.util.Arrays.copyOfRange(w.data(), span.first() * per, span.end() * per);
        Waveform.Bands b = w.bands();
        Waveform.Bands bands = b == null ? null : new Waveform.Bands(b.edgesHz(),
                java.util.Arrays.copyOfRange(b.low(), span.first(), span.end()),
                java.util.Arrays.copyOfRange(b.mid(), span.first(), span.end()),
                java.util.Arrays.copyOfRange(b.high(), span.first(), span.end()));
        return new Waveform(2, w.channels(), w.sampleRate(), w.samplesPerPixel(), w.bits(), span.size(), data, bands,
                w.sourceChannels());
    }

    /**
     * The downmix at the level and span {@code q} asks for, read from the coarsest pyramid level
     * that divides it: a tile reads a few kilobytes, a whole level at most the stored level once.
     * Equal to reducing the stored level (band sums of squares are exact, the root comes last).
     */
    static Waveform fromPyramid(LevelFile.Reader r, WaveformQuery q) throws java.io.IOException {
        LevelFile.Header h = r.header();
        Source src = source(h, q);
        Plan plan = src.plan();
        int factor = plan.factor();
        int g = src.group();
        Span span = src.span();
        LevelFile.Slice s = r.slice(src.level(), span.first() * g, span.end() * g);
        int n = span.size();
        int[] data = new int[2 * n];
        int[][] bands = new int[3][n];
        for (int t = 0; t < n; t++) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            long[] sum = new long[3];
            for (int i = t * g; i < Math.min((t + 1) * g, s.size()); i++) {
                lo = Math.min(lo, s.min()[i]);
                hi = Math.max(hi, s.max()[i]);
                for (int b = 0; b < 3; b++) {
                    sum[b] += s.sums()[b][i];
                }
            }
            long pixel = span.first() + (long) t;
            long count = Math.max(1, Math.min(factor, h.baseLength() - pixel * factor));
            data[2 * t] = lo >> plan.shift();
            data[2 * t + 1] = hi >> plan.shift();
            for (int b = 0; b < 3; b++) {
                bands[b][t] = (int) Math.round(Math.sqrt((double) sum[b] / count)) >> plan.shift();
            }
        }
        Waveform.Bands b = h.hasBands() ? new Waveform.Bands(h.edgesHz(), bands[0], bands[1], bands[2]) : null;
        return new Waveform(2, 1, h.sampleRate(), plan.samplesPerPixel(h.baseSpp()), plan.bits(), n, data, b,
                h.sourceChannels());
    }

    /**
     * Where a query's pixels come from: the plan, the pyramid level {@code level} (the coarsest
     * whose factor divides the plan's), {@code group} items of it per pixel, and the span of pixels.
     */
    private record Source(Plan plan, int level, int group, Span span) {
    }

    private static Source source(LevelFile.Header h, WaveformQuery q) {
        Plan plan = plan(h.baseSpp(), WaveformFiles.BITS, target(q, h.baseSpp(), h.sampleRate()), q.bits());
        int factor = plan.factor();
        int k = 0;
        for (int i = LevelFile.FACTORS.length - 1; i > 0; i--) {
            if (factor % LevelFile.FACTORS[i] == 0) {
                k = i;
                break;
            }
        }
        Span span = span(q, plan.samplesPerPixel(h.baseSpp()), h.sampleRate(), plan.length(h.baseLength()));
        return new Source(plan, k, factor / LevelFile.FACTORS[k], span);
    }

    /**
     * The binary answer ({@link WaveformFiles#binary}) of {@link #fromPyramid}, byte for byte, made
     * straight from the records read: no arrays in between. A whole fine level (an hour at 256
     * samples per pixel: 620 000 pixels, 3.1 MB at 8 bits) is then one pass over its records.
     */
    static byte[] binaryFromPyramid(LevelFile.Reader r, WaveformQuery q, boolean withBands) throws java.io.IOException {
        LevelFile.Header h = r.header();
        Source src = source(h, q);
        int g = src.group();
        Span span = src.span();
        return binary(h, src, r.records(src.level(), span.first() * g, span.end() * g), withBands);
    }

    /** {@link #binaryFromPyramid} of the records {@code rec} that {@code src} names. */
    private static byte[] binary(LevelFile.Header h, Source src, java.nio.ByteBuffer rec, boolean withBands) {
        Plan plan = src.plan();
        int factor = plan.factor();
        int shift = plan.shift();
        int g = src.group();
        Span span = src.span();
        int k = src.level();
        int size = LevelFile.Reader.recordSize(k);
        int items = rec.remaining() / size;
        int n = span.size();
        int bytes = plan.bits() / 8;
        byte[] out = new byte[24 + n * bytes * (2 + (withBands ? 3 : 0))];
        java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(out, 0, 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        head.putInt(2).putInt(plan.bits() == 8 ? 1 : 0).putInt(h.sampleRate()).putInt(plan.samplesPerPixel(h.baseSpp()))
                .putInt(n).putInt(1);
        boolean bands = withBands && h.hasBands();
        int at = 24;
        int lowAt = 24 + 2 * n * bytes;
        int midAt = lowAt + n * bytes;
        int highAt = midAt + n * bytes;
        if (k == 0 && g == 1) {
            // the stored level itself: one record per pixel, and the root of one square is the value's size
            for (int t = 0; t < n; t++) {
                int p = t * size;
                at = put(out, at, rec.getShort(p) >> shift, bytes);
                at = put(out, at, rec.getShort(p + 2) >> shift, bytes);
                if (bands) {
                    lowAt = put(out, lowAt, Math.abs(rec.getShort(p + 4)) >> shift, bytes);
                    midAt = put(out, midAt, Math.abs(rec.getShort(p + 6)) >> shift, bytes);
                    highAt = put(out, highAt, Math.abs(rec.getShort(p + 8)) >> shift, bytes);
                }
            }
            return out;
        }
        for (int t = 0; t < n; t++) {
            int lo = Integer.MAX_VALUE;
            int hi = Integer.MIN_VALUE;
            long s0 = 0;
            long s1 = 0;
            long s2 = 0;
            int end = Math.min((t + 1) * g, items);
            for (int i = t * g; i < end; i++) {
                int p = i * size;
                lo = Math.min(lo, rec.getShort(p));
                hi = Math.max(hi, rec.getShort(p + 2));
                if (k == 0) {
                    long a = rec.getShort(p + 4);
                    long b = rec.getShort(p + 6);
                    long c = rec.getShort(p + 8);
                    s0 += a * a;
                    s1 += b * b;
                    s2 += c * c;
                } else {
                    s0 += rec.getLong(p + 4);
                    s1 += rec.getLong(p + 12);
                    s2 += rec.getLong(p + 20);
                }
            }
            at = put(out, at, lo >> shift, bytes);
            at = put(out, at, hi >> shift, bytes);
            if (bands) {
                long pixel = span.first() + (long) t;
                long count = Math.max(1, Math.min(factor, h.baseLength() - pixel * factor));
                lowAt = put(out, lowAt, rms(s0, count) >> shift, bytes);
                midAt = put(out, midAt, rms(s1, count) >> shift, bytes);
                highAt = put(out, highAt, rms(s2, count) >> shift, bytes);
            }
        }
        return out;
    }

    /**
     * Runs {@link #binary} on made-up records often enough for the JIT to compile it (and SHA-256,
     * which the tags use): the first whole fine level a client asks for after a start is then
     * made by compiled code (an hour's level 256 took 300 ms interpreted, 7 ms compiled).
     */
    static void warmUp() {
        int pixels = WaveformQuery.TILE_PIXELS;
        int[] lengths = new int[LevelFile.FACTORS.length];
        for (int k = 0; k < lengths.length; k++) {
            lengths[k] = pixels * LevelFile.FACTORS[LevelFile.FACTORS.length - 1] / LevelFile.FACTORS[k];
        }
        LevelFile.Header h = new LevelFile.Header(44100, 256, lengths[0], 2, new int[] {200, 2000}, true, lengths,
                new long[lengths.length]);
        java.util.Random random = new java.util.Random(1);
        java.nio.ByteBuffer[] records = new java.nio.ByteBuffer[2];
        for (int k = 0; k < records.length; k++) {
            byte[] b = new byte[pixels * 2 * LevelFile.Reader.recordSize(k)];
            random.nextBytes(b);
            records[k] = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int round = 0; round < 1000; round++) {
            // the stored level as it is, two of its pixels per pixel, a coarser level as it is and in pairs
            for (int spp : new int[] {256, 512, 1024, 2048}) {
                Source src = source(h, new WaveformQuery(false, spp, null, 8, 0.0, (double) pixels * spp / h.sampleRate()));
                sha.update(binary(h, src, records[src.level()].duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN), true));
            }
        }
        sha.digest();
    }

    /** The root mean square as {@link #fromPyramid} rounds it (exact for one stored pixel: the root of a square). */
    private static int rms(long sumOfSquares, long count) {
        return (int) Math.round(Math.sqrt((double) sumOfSquares / count));
    }

    private static int put(byte[] out, int at, int v, int bytes) {
        out[at] = (byte) v;
        if (bytes == 2) {
            out[at + 1] = (byte) (v >> 8);
        }
        return at + bytes;
    }

    /** Min/max pairs, interleaved per channel, in pixel order. */
    static final class Peaks {
        private final int channels;
        private final Plan plan;
        private final int[] out;
        private long index;

        Peaks(int channels, Plan plan, int baseLength) {
            this.channels = channels;
            this.plan = plan;
            this.out = new int[plan.length(baseLength) * channels * 2];
            for (int i = 0; i < out.length; i += 2) {
                out[i] = Integer.MAX_VALUE;
                out[i + 1] = Integer.MIN_VALUE;
            }
        }

        void add(int value) {
            long i = index++;
            long pixel = i / (2L * channels);
            int within = (int) (i % (2L * channels));
            int at = (int) (pixel / plan.factor()) * channels * 2 + within;
            if (at >= out.length) {
                throw new IllegalArgumentException("more values than the waveform's length says");
            }
            int v = value >> plan.shift();
            out[at] = (within & 1) == 0 ? Math.min(out[at], v) : Math.max(out[at], v);
        }

        int[] data() {
            return out;
        }
    }

    /** Band energies: the root of the mean square over the finer pixels of each coarse one. */
    static final class Energies {
        private final Plan plan;
        private final double[] sums;
        private final int[] counts;
        private int index;

        Energies(Plan plan, int baseLength) {
            this.plan = plan;
            int n = plan.length(baseLength);
            this.sums = new double[n];
            this.counts = new int[n];
        }

        static int[] of(int[] values, Plan plan) {
            Energies e = new Energies(plan, values.length);
            for (int v : values) {
                e.add(v);
            }
            return e.values();
        }

        void add(int value) {
            int j = index++ / plan.factor();
            if (j >= sums.length) {
                throw new IllegalArgumentException("more band values than the waveform's length says");
            }
            sums[j] += (double) value * value;
            counts[j]++;
        }

        int[] values() {
            int[] out = new int[sums.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (int) Math.round(Math.sqrt(sums[j] / Math.max(1, counts[j]))) >> plan.shift();
            }
            return out;
        }
    }
}
