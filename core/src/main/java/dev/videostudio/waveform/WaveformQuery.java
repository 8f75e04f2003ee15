package dev.videostudio.waveform;

/**
 * What level of a waveform to return, and optionally which span of it.
 *
 * @param split           true for one channel per source channel, false for the downmix
 * @param samplesPerPixel coarser level in samples per pixel, or null
 * @param pixelsPerSecond coarser level in pixels per second (used when samplesPerPixel is null), or null
 * @param bits            8 or 16
 * @param start           first second of the span, or null for the start; widened to a whole tile
 * @param end             second the span ends, or null for the end; widened to a whole tile
 */
public record WaveformQuery(boolean split, Integer samplesPerPixel, Double pixelsPerSecond, int bits, Double start,
                            Double end) {

    /** Pixels of the level per tile: a span is widened to whole tiles, so spans cache well. */
    public static final int TILE_PIXELS = 1024;

    /** A whole level. */
    public WaveformQuery(boolean split, Integer samplesPerPixel, Double pixelsPerSecond, int bits) {
        this(split, samplesPerPixel, pixelsPerSecond, bits, null, null);
    }

    /** The stored level: downmix, base resolution, 16 bits. */
    public static WaveformQuery stored() {
        return new WaveformQuery(false, null, null, 16);
    }

    /** True when this asks for exactly what is stored, so the file can be served as it is. */
    public boolean isStored() {
        return !split && samplesPerPixel == null && pixelsPerSecond == null && bits == 16 && !isRange();
    }

    /** True when this asks for a span rather than the whole level. */
    public boolean isRange() {
        return start != null || end != null;
    }

    /** Applies the level and bits to {@code w}. */
    public Waveform apply(Waveform w) {
        Waveform level = w.level(Levels.target(this, w.samplesPerPixel(), w.sampleRate()), bits);
        Levels.Span span = Levels.span(this, level.samplesPerPixel(), level.sampleRate(), level.length());
        return Levels.slice(level, span);
    }
}
