package dev.videostudio.waveform;

import java.io.IOException;
import java.io.OutputStream;

/**
 * ASCII text and decimal integers written to a stream through a byte buffer, numbers formatted
 * without Strings: the stored JSON holds millions of them (a Jackson generator took a third of
 * the job's time to write them).
 */
final class AsciiNumbers {

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    private final OutputStream out;
    private final byte[] buf;
    private int at;
    private boolean listStarted;

    AsciiNumbers(OutputStream out, int bufferSize) {
        this.out = out;
        this.buf = new byte[Math.max(64, bufferSize)];
    }

    AsciiNumbers text(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            if (at == buf.length) {
                flush();
            }
            buf[at++] = (byte) s.charAt(i);
        }
        return this;
    }

    AsciiNumbers number(int v) throws IOException {
        append(v, false);
        return this;
    }

    /** Appends {@code v} to a comma-separated list: a comma before all but the first. */
    void next(int v) throws IOException {
        append(v, listStarted);
        listStarted = true;
    }

    private void append(int v, boolean comma) throws IOException {
        if (at > buf.length - 13) {
            flush();
        }
        if (comma) {
            buf[at++] = ',';
        }
        int x = v; // never Integer.MIN_VALUE: the values are 16-bit samples and counts
        if (x < 0) {
            buf[at++] = '-';
            x = -x;
        }
        int p = at + digits(x);
        at = p;
        while (x >= 100) { // two digits per division
            int q = x / 100;
            int r = 2 * (x - 100 * q);
            buf[--p] = PAIRS[r + 1];
            buf[--p] = PAIRS[r];
            x = q;
        }
        if (x >= 10) {
            buf[--p] = PAIRS[2 * x + 1];
            buf[--p] = PAIRS[2 * x];
        } else {
            buf[--p] = (byte) ('0' + x);
        }
    }

    private static int digits(int x) {
        if (x < 100_000) {
            return x < 100 ? (x < 10 ? 1 : 2) : x < 1000 ? 3 : x < 10_000 ? 4 : 5;
        }
        int n = 6;
        for (int limit = 1_000_000; n < 10 && x >= limit; limit *= 10) {
            n++;
        }
        return n;
    }

    /** Writes the buffered bytes to the stream (which is not flushed). */
    void flush() throws IOException {
        out.write(buf, 0, at);
        at = 0;
    }
}
