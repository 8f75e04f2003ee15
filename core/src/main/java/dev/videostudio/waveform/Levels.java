package dev.videostudio.waveform;

import dev.videostudio.StudioException;

/** Coarser zoom levels from finer ones: exact, because min of mins and max of maxes is the min and max. */
final class Levels {

    private Levels() {
    }

    static Waveform reduce(Waveform w, int samplesPerPixel, int bits) {
        if (bits != 8 && bits != 16) {
            throw StudioException.malformed("bits must be 8 or 16");
        }
        if (bits > w.bits()) {
            throw StudioException.malformed("a " + w.bits() + "-bit waveform cannot give " + bits + " bits");
        }
        if (samplesPerPixel < 1) {
            throw StudioException.malformed("samples_per_pixel must be positive");
        }
        int factor = (int) Math.max(1, Math.round((double) samplesPerPixel / w.samplesPerPixel()));
        int shift = w.bits() - bits;
        if (factor == 1 && shift == 0) {
            return w;
        }
        int c = w.channels();
        int length = (int) ((w.length() + (long) factor - 1) / factor);
        int[] in = w.data();
        int[] out = new int[length * c * 2];
        for (int j = 0; j < length; j++) {
            int from = j * factor;
            int to = Math.min(w.length(), from + factor);
            for (int ch = 0; ch < c; ch++) {
                int min = Integer.MAX_VALUE;
                int max = Integer.MIN_VALUE;
                for (int i = from; i < to; i++) {
                    int k = (i * c + ch) * 2;
                    min = Math.min(min, in[k]);
                    max = Math.max(max, in[k + 1]);
                }
                out[(j * c + ch) * 2] = min >> shift;
                out[(j * c + ch) * 2 + 1] = max >> shift;
            }
        }
        Waveform.Bands bands = w.bands() == null ? null : new Waveform.Bands(w.bands().edgesHz(),
                rms(w.bands().low(), factor, length, shift), rms(w.bands().mid(), factor, length, shift),
                rms(w.bands().high(), factor, length, shift));
        return new Waveform(2, c, w.sampleRate(), w.samplesPerPixel() * factor, bits, length, out, bands,
                w.sourceChannels());
    }

    /** Energies combine as the root of the mean square. */
    private static int[] rms(int[] in, int factor, int length, int shift) {
        int[] out = new int[length];
        for (int j = 0; j < length; j++) {
            int from = j * factor;
            int to = Math.min(in.length, from + factor);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) in[i] * in[i];
            }
            out[j] = (int) Math.round(Math.sqrt(sum / Math.max(1, to - from))) >> shift;
        }
        return out;
    }
}
