package dev.videostudio.waveform;

/**
 * What level of a waveform to return.
 *
 * @param split           true for one channel per source channel, false for the downmix
 * @param samplesPerPixel coarser level in samples per pixel, or null
 * @param pixelsPerSecond coarser level in pixels per second (used when samplesPerPixel is null), or null
 * @param bits            8 or 16
 */
public record WaveformQuery(boolean split, Integer samplesPerPixel, Double pixelsPerSecond, int bits) {

    /** The stored level: downmix, base resolution, 16 bits. */
    public static WaveformQuery stored() {
        return new WaveformQuery(false, null, null, 16);
    }

    /** True when this asks for exactly what is stored, so the file can be served as it is. */
    public boolean isStored() {
        return !split && samplesPerPixel == null && pixelsPerSecond == null && bits == 16;
    }

    /** Applies the level and bits to {@code w}. */
    public Waveform apply(Waveform w) {
        return w.level(Levels.target(this, w.samplesPerPixel(), w.sampleRate()), bits);
    }
}
