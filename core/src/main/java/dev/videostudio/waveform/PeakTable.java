package dev.videostudio.waveform;

import java.util.Arrays;
import java.util.List;

/**
 * Pixels of one stretch of audio in compact 16-bit arrays (1/256 of the samples' size at the
 * base resolution): per-channel min/max, downmix min/max and band energies.
 */
final class PeakTable implements PeakAccumulator.PixelSink {

    final int channels;
    private short[] split;
    private short[] merged;
    private short[] bands;
    private int length;

    PeakTable(int channels, int expectedPixels) {
        this.channels = channels;
        int n = Math.max(16, expectedPixels);
        this.split = new short[n * 2 * channels];
        this.merged = new short[n * 2];
        this.bands = new short[n * 3];
    }

    @Override
    public void pixel(short[] minMax, short[] mergedPair, short[] band) {
        if (length * 2 == merged.length) {
            int n = length + length / 2; // grow by half: only when the probed duration was short
            split = Arrays.copyOf(split, n * 2 * channels);
            merged = Arrays.copyOf(merged, n * 2);
            bands = Arrays.copyOf(bands, n * 3);
        }
        System.arraycopy(minMax, 0, split, length * 2 * channels, 2 * channels);
        merged[2 * length] = mergedPair[0];
        merged[2 * length + 1] = mergedPair[1];
        System.arraycopy(band, 0, bands, 3 * length, 3);
        length++;
    }

    int length() {
        return length;
    }

    short split(int pixel, int index) {
        return split[pixel * 2 * channels + index];
    }

    short merged(int pixel, int index) {
        return merged[2 * pixel + index];
    }

    short band(int pixel, int band) {
        return bands[3 * pixel + band];
    }

    /** Total pixels of consecutive tables. */
    static int length(List<PeakTable> parts) {
        int n = 0;
        for (PeakTable p : parts) {
            n += p.length;
        }
        return n;
    }
}
