package dev.videostudio.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts a fragmented MP4 written by FFmpeg for one piece of the timeline into what an HLS stream
 * needs: the initialization section ({@code ftyp} + {@code moov}) and the media ({@code moof} +
 * {@code mdat} pairs) with each track's decode times moved to where the piece sits on the
 * timeline. FFmpeg starts every file at time 0; shifting {@code tfdt} by hand is what lets pieces
 * muxed apart, in any order, play as one stream.
 */
final class Fmp4 {

    /** The two parts of one file. */
    record Split(byte[] init, byte[] media) {
    }

    private Fmp4() {
    }

    /**
     * @param shiftSeconds by track id (FFmpeg numbers tracks from 1 in output order): how far
     *                     that track's fragments move, in seconds
     */
    static Split split(byte[] file, Map<Integer, Double> shiftSeconds) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        ByteArrayOutputStream init = new ByteArrayOutputStream();
        ByteArrayOutputStream media = new ByteArrayOutputStream();
        Map<Integer, Long> timescales = new HashMap<>();
        int at = 0;
        while (at + 8 <= file.length) {
            int size = box(b, at, file.length);
            String type = type(file, at);
            switch (type) {
                case "ftyp" -> init.write(file, at, size);
                case "moov" -> {
                    init.write(file, at, size);
                    readTimescales(b, file, at + 8, at + size, timescales);
                }
                case "moof" -> {
                    byte[] moof = java.util.Arrays.copyOfRange(file, at, at + size);
                    shift(ByteBuffer.wrap(moof), moof, 8, size, timescales, shiftSeconds);
                    media.write(moof);
                }
                case "mdat" -> media.write(file, at, size);
                default -> { } // mfra, free, udta: not part of a stream segment
            }
            at += size;
        }
        if (init.size() == 0 || media.size() == 0) {
            throw new IOException("not a fragmented MP4: no moov or no moof");
        }
        return new Split(init.toByteArray(), media.toByteArray());
    }

    /** The size of the box at {@code at}, checked to lie within {@code end}. */
    private static int box(ByteBuffer b, int at, int end) throws IOException {
        long size = Integer.toUnsignedLong(b.getInt(at));
        if (size == 1 && at + 16 <= end) {
            size = b.getLong(at + 8);
        }
        if (size < 8 || at + size > end) {
            throw new IOException("bad MP4 box at byte " + at);
        }
        return (int) size;
    }

    private static String type(byte[] file, int at) {
        return new String(file, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Track id to media timescale, from {@code trak/tkhd} and {@code trak/mdia/mdhd}. */
    private static void readTimescales(ByteBuffer b, byte[] f, int from, int end, Map<Integer, Long> out)
            throws IOException {
        for (int at = from; at + 8 <= end; ) {
            int size = box(b, at, end);
            if (type(f, at).equals("trak")) {
                int track = -1;
                long timescale = -1;
                for (int t = at + 8; t + 8 <= at + size; ) {
                    int s = box(b, t, at + size);
                    if (type(f, t).equals("tkhd")) {
                        track = b.getInt(t + 12 + (f[t + 8] == 1 ? 16 : 8)); // after the creation and modification times
                    } else if (type(f, t).equals("mdia")) {
                        for (int m = t + 8; m + 8 <= t + s; ) {
                            int ms = box(b, m, t + s);
                            if (type(f, m).equals("mdhd")) {
                                timescale = Integer.toUnsignedLong(b.getInt(m + 12 + (f[m + 8] == 1 ? 16 : 8)));
                            }
                            m += ms;
                        }
                    }
                    t += s;
                }
                out.put(track, timescale);
            }
            at += size;
        }
    }

    /** Adds each track's shift to the {@code tfdt} of every {@code traf} in one {@code moof}. */
    private static void shift(ByteBuffer b, byte[] f, int from, int end, Map<Integer, Long> timescales,
                              Map<Integer, Double> shiftSeconds) throws IOException {
        for (int at = from; at + 8 <= end; ) {
            int size = box(b, at, end);
            if (type(f, at).equals("traf")) {
                int track = -1;
                for (int t = at + 8; t + 8 <= at + size; ) {
                    int s = box(b, t, at + size);
                    String type = type(f, t);
                    if (type.equals("tfhd")) {
                        track = b.getInt(t + 12);
                    } else if (type.equals("tfdt")) {
                        Long timescale = timescales.get(track);
                        if (timescale == null || timescale <= 0) {
                            throw new IOException("tfdt of track " + track + " without a timescale");
                        }
                        long by = Math.round(shiftSeconds.getOrDefault(track, 0.0) * timescale);
                        if (f[t + 8] == 1) {
                            b.putLong(t + 12, b.getLong(t + 12) + by);
                        } else {
                            long v = Integer.toUnsignedLong(b.getInt(t + 12)) + by;
                            if (v > 0xffff_ffffL) {
                                throw new IOException("tfdt beyond 32 bits");
                            }
                            b.putInt(t + 12, (int) v);
                        }
                    }
                    t += s;
                }
            }
            at += size;
        }
    }
}
