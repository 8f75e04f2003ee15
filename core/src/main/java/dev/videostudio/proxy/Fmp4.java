package dev.videostudio.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a fragmented MP4 written by FFmpeg for one piece of the timeline into what an HLS stream
 * needs: the initialization section ({@code ftyp} + {@code moov}) and the media ({@code moof} +
 * {@code mdat} pairs) with each track's decode times moved to where the piece sits on the
 * timeline. FFmpeg starts every file at time 0; shifting {@code tfdt} by hand is what lets pieces
 * muxed apart, in any order, play as one stream.
 *
 * <p>The sound is added here too, without an FFmpeg run per segment: the picture's file has one
 * video track (written by the segment's encoder beside its WebM), {@link #withOpusTrack} adds an
 * Opus track to its init section once, and {@link #opusFragment} wraps each segment's packets of
 * the spliced sound in a fragment of that track (ISO/IEC 14496-12 boxes, Opus as in "Encapsulation
 * of Opus in ISO Base Media File Format", the layout FFmpeg's own muxer writes).
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

    /** The Opus track's id: the picture's file has track 1 only. */
    static final int OPUS_TRACK = 2;
    private static final int OPUS_TIMESCALE = 48_000;

    /**
     * The init section with a second track, Opus stereo at 48 kHz, whose setup comes from the
     * stream's Ogg identification header; its pre-skip is left out (see the caller).
     */
    static byte[] withOpusTrack(byte[] init, byte[] opusHead) throws IOException {
        byte[] opusTrak = opusTrak(opusHead);
        ByteBuffer b = ByteBuffer.wrap(init);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at + 8 <= init.length; ) {
            int size = box(b, at, init.length);
            if (!type(init, at).equals("moov")) {
                out.write(init, at, size);
                at += size;
                continue;
            }
            ByteArrayOutputStream moov = new ByteArrayOutputStream();
            boolean mvex = false;
            for (int c = at + 8; c + 8 <= at + size; ) {
                int cs = box(b, c, at + size);
                switch (type(init, c)) {
                    case "mvhd" -> {
                        byte[] mvhd = java.util.Arrays.copyOfRange(init, c, c + cs);
                        ByteBuffer.wrap(mvhd).putInt(cs - 4, OPUS_TRACK + 1); // next_track_ID, its last field
                        moov.write(mvhd);
                    }
                    case "trak" -> {
                        moov.write(init, c, cs);
                        moov.write(opusTrak);
                        opusTrak = new byte[0]; // after the picture's track, once
                    }
                    case "mvex" -> {
                        mvex = true;
                        ByteArrayOutputStream children = new ByteArrayOutputStream();
                        children.write(init, c + 8, cs - 8);
                        children.write(fullBox("trex", 0, 0, d -> {
                            d.writeInt(OPUS_TRACK);
                            d.writeInt(1); // sample description
                            d.writeInt(0);
                            d.writeInt(0);
                            d.writeInt(0); // flags: every sample a sync sample
                        }));
                        moov.write(box("mvex", children.toByteArray()));
                    }
                    case "udta" -> { } // FFmpeg's name tag: not needed
                    default -> moov.write(init, c, cs);
                }
                c += cs;
            }
            if (!mvex) {
                throw new IOException("not a fragmented MP4 init section: no mvex");
            }
            out.write(box("moov", moov.toByteArray()));
            at += size;
        }
        return out.toByteArray();
    }

    private static byte[] opusTrak(byte[] head) throws IOException {
        if (head.length < 19 || head[18] != 0) {
            throw new IOException("only an Opus stream of channel mapping family 0 (mono or stereo) is carried");
        }
        int channels = head[9] & 0xff;
        ByteBuffer le = ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int inputRate = le.getInt(12);
        short gain = le.getShort(16);
        byte[] tkhd = fullBox("tkhd", 0, 3, d -> { // enabled, in movie
            d.writeInt(0);
            d.writeInt(0);
            d.writeInt(OPUS_TRACK);
            d.writeInt(0);
            d.writeInt(0); // duration: in the fragments
            d.writeLong(0);
            d.writeShort(0); // layer
            d.writeShort(1); // alternate group
            d.writeShort(0x0100); // volume 1.0
            d.writeShort(0);
            for (int m : new int[] {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000}) {
                d.writeInt(m);
            }
            d.writeInt(0);
            d.writeInt(0);
        });
        byte[] mdhd = fullBox("mdhd", 0, 0, d -> {
            d.writeInt(0);
            d.writeInt(0);
            d.writeInt(OPUS_TIMESCALE);
            d.writeInt(0);
            d.writeShort(0x55c4); // "und"
            d.writeShort(0);
        });
        byte[] hdlr = fullBox("hdlr", 0, 0, d -> {
            d.writeInt(0);
            d.writeBytes("soun");
            d.writeInt(0);
            d.writeInt(0);
            d.writeInt(0);
            d.writeBytes("SoundHandler\0");
        });
        byte[] smhd = fullBox("smhd", 0, 0, d -> d.writeInt(0));
        byte[] dinf = box("dinf", fullBox("dref", 0, 0, d -> {
            d.writeInt(1);
            d.write(fullBox("url ", 0, 1, x -> { })); // the media is in this file
        }));
        byte[] dOps = box("dOps", bytes(d -> {
            d.writeByte(0); // version
            d.writeByte(channels);
            d.writeShort(0); // pre-skip: none per piece, as the caller's Ogg pieces had
            d.writeInt(inputRate);
            d.writeShort(gain);
            d.writeByte(0); // channel mapping family
        }));
        byte[] opus = box("Opus", bytes(d -> {
            d.write(new byte[6]);
            d.writeShort(1); // data reference
            d.writeInt(0);
            d.writeInt(0);
            d.writeShort(channels);
            d.writeShort(16);
            d.writeShort(0);
            d.writeShort(0);
            d.writeInt(OPUS_TIMESCALE << 16);
            d.write(dOps);
        }));
        byte[] stsd = fullBox("stsd", 0, 0, d -> {
            d.writeInt(1);
            d.write(opus);
        });
        byte[] stbl = box("stbl", concat(stsd,
                fullBox("stts", 0, 0, d -> d.writeInt(0)),
                fullBox("stsc", 0, 0, d -> d.writeInt(0)),
                fullBox("stsz", 0, 0, d -> {
                    d.writeInt(0);
                    d.writeInt(0);
                }),
                fullBox("stco", 0, 0, d -> d.writeInt(0))));
        byte[] minf = box("minf", concat(smhd, dinf, stbl));
        return box("trak", concat(tkhd, box("mdia", concat(mdhd, hdlr, minf))));
    }

    /**
     * One fragment of the Opus track: {@code packets} (each one {@link OggOpus#PACKET_SAMPLES}
     * long) decoded from {@code startSample} on the stream's clock.
     */
    static byte[] opusFragment(int sequence, long startSample, List<byte[]> packets) throws IOException {
        int trunSize = 20 + 8 * packets.size();
        int moofSize = 8 + 16 + 8 + 16 + 20 + trunSize;
        byte[] mfhd = fullBox("mfhd", 0, 0, d -> d.writeInt(sequence));
        byte[] tfhd = fullBox("tfhd", 0, 0x020000, d -> d.writeInt(OPUS_TRACK)); // default-base-is-moof
        byte[] tfdt = fullBox("tfdt", 1, 0, d -> d.writeLong(startSample));
        byte[] trun = fullBox("trun", 0, 0x000301, d -> { // data offset, sample durations and sizes
            d.writeInt(packets.size());
            d.writeInt(moofSize + 8); // the first sample, just after the mdat header
            for (byte[] p : packets) {
                d.writeInt(OggOpus.PACKET_SAMPLES);
                d.writeInt(p.length);
            }
        });
        byte[] moof = box("moof", concat(mfhd, box("traf", concat(tfhd, tfdt, trun))));
        if (moof.length != moofSize) {
            throw new IllegalStateException("moof size " + moof.length + ", expected " + moofSize);
        }
        ByteArrayOutputStream mdat = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            mdat.write(p);
        }
        return concat(moof, box("mdat", mdat.toByteArray()));
    }

    private interface Body {
        void write(DataOutputStream d) throws IOException;
    }

    private static byte[] bytes(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        body.write(d);
        d.flush();
        return out.toByteArray();
    }

    private static byte[] box(String type, byte[] payload) throws IOException {
        return bytes(d -> {
            d.writeInt(8 + payload.length);
            d.writeBytes(type);
            d.write(payload);
        });
    }

    private static byte[] fullBox(String type, int version, int flags, Body body) throws IOException {
        byte[] payload = bytes(body);
        return box(type, bytes(d -> {
            d.writeInt(version << 24 | flags);
            d.write(payload);
        }));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
