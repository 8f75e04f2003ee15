package dev.videostudio.proxy;

/**
 * A timeline frame rate as an exact fraction, so frame boundaries never drift: 29.97 becomes
 * 30000/1001, 25 stays 25/1.
 */
record FrameRate(long num, long den) {

    FrameRate {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException("frame rate must be positive: " + num + "/" + den);
        }
    }

    static FrameRate of(double fps) {
        if (!(fps > 0) || fps > 1000) {
            throw new IllegalArgumentException("frame rate out of range: " + fps);
        }
        long whole = Math.round(fps);
        if (Math.abs(fps - whole) < 1e-6) {
            return new FrameRate(whole, 1);
        }
        long ntsc = Math.round(fps * 1.001);
        if (Math.abs(fps - ntsc * 1000.0 / 1001) < 1e-3) {
            return new FrameRate(ntsc * 1000, 1001);
        }
        return new FrameRate(Math.round(fps * 1000), 1000);
    }

    double value() {
        return (double) num / den;
    }

    /** The frame on whose boundary {@code seconds} falls, rounded to the nearest. */
    long frameAt(double seconds) {
        return Math.round(seconds * num / den);
    }

    /** Where frame {@code frame} starts, seconds. */
    double seconds(long frame) {
        return (double) frame * den / num;
    }

    /** FFmpeg's notation, for example {@code 30000/1001}. */
    @Override
    public String toString() {
        return num + "/" + den;
    }
}
