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
