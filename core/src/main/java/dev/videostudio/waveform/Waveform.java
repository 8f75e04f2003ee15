package dev.videostudio.waveform;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One waveform in the BBC audiowaveform JSON format, version 2, so peaks.js and
 * waveform-data.js read it as it is: {@code data} holds a min/max pair per pixel, interleaved
 * per channel. The extra fields never change the standard ones.
 *
 * @param version         always 2
 * @param channels        channels in {@code data}: 1 when merged, the source's count when split
 * @param sampleRate      of the source audio, in Hz
 * @param samplesPerPixel audio samples (per channel) summarised by one pixel
 * @param bits            8 or 16: the range of the values in {@code data}
 * @param length          pixels: {@code ceil(samples / samplesPerPixel)}
 * @param data            {@code length * channels * 2} values: min, max per channel per pixel
 * @param bands           extra: low/mid/high band RMS of the downmix per pixel, or null
 * @param sourceChannels  extra: channels of the source audio (what {@code channels=split} gives)
 */
public record Waveform(
        int version,
        int channels,
        int sampleRate,
        int samplesPerPixel,
        int bits,
        int length,
        int[] data,
        Bands bands,
        int sourceChannels) {

    /**
     * Per-pixel energies for a frequency-coloured waveform, in the units of {@code data}
     * (RMS of the band): below {@code edgesHz[0]}, between the edges, above {@code edgesHz[1]}.
     */
    public record Bands(int[] edgesHz, int[] low, int[] mid, int[] high) {
    }

    /** The duration the waveform covers, in seconds (to within one pixel). */
    public double durationSeconds() {
        return (double) length * samplesPerPixel / sampleRate;
    }

    /**
     * A coarser level: {@code samplesPerPixel} is rounded to a whole multiple of this one's (at
     * least 1x), and peaks are the min/max over the merged pixels, exactly what a direct
     * computation at that resolution gives. {@code bits} 8 scales values to -128..127.
     */
    public Waveform level(int samplesPerPixel, int bits) {
        return Levels.reduce(this, samplesPerPixel, bits);
    }

    /** The level nearest {@code pixelsPerSecond} that is not finer than this one. */
    public Waveform levelForPixelsPerSecond(double pixelsPerSecond, int bits) {
        return Levels.reduce(this, Levels.target(new WaveformQuery(false, null, pixelsPerSecond, bits),
                samplesPerPixel, sampleRate), bits);
    }

    /** Writes the audiowaveform binary form ({@code .dat}, version 2, little-endian). */
    public void writeDat(OutputStream out) throws IOException {
        WaveformFiles.writeDat(this, out);
    }
}
