package dev.videostudio.waveform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A ready waveform answer, encoded once and kept: the bytes, a strong entity tag naming exactly
 * these bytes, and their gzip form, made the first time a client takes it and kept with them.
 */
public final class WaveformAnswer {

    /** Up to this size the best compression is worth it: compressed once, sent many times. */
    private static final int SMALL = 64 << 10;

    private final byte[] body;
    private final String etag;
    private final WaveformFormat format;
    private volatile byte[] gzip;

    /**
     * @param body   the answer
     * @param etag   quoted entity tag of {@code body}
     * @param format how {@code body} is encoded
     */
    public WaveformAnswer(byte[] body, String etag, WaveformFormat format) {
        this(body, etag, format, null);
    }

    /** An answer whose gzip form is already made (an answer the waveform job prepared). */
    WaveformAnswer(byte[] body, String etag, WaveformFormat format, byte[] gzip) {
        this.body = body;
        this.etag = etag;
        this.format = format;
        this.gzip = gzip;
    }

    /** The answer's bytes (not to be modified). */
    public byte[] body() {
        return body;
    }

    /** Quoted entity tag: the start of the SHA-256 of {@link #body()}. */
    public String etag() {
        return etag;
    }

    public WaveformFormat format() {
        return format;
    }

    /** {@link #body()} compressed with gzip (computed once, on the first call). */
    public byte[] gzip() {
        byte[] g = gzip;
        if (g == null) {
            synchronized (this) {
                g = gzip;
                if (g == null) {
                    gzip = g = compress(body);
                }
            }
        }
        return g;
    }

    private static byte[] compress(byte[] body) {
        // large answers (whole fine levels, megabytes) are rare: the fast level keeps their first answer quick
        return compress(body, body.length <= SMALL ? Deflater.BEST_COMPRESSION : Deflater.BEST_SPEED);
    }

    static byte[] compress(byte[] body, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 14) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
