package dev.videostudio.proxy;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes Ogg Opus files (RFC 7845) packet by packet, so that sound chunks encoded
 * apart can be spliced into one stream at packet boundaries, with no gap and no re-encode.
 * Only for files FFmpeg wrote for us: one logical stream, no chaining.
 */
final class OggOpus {

    /** Samples per Opus packet that the splice relies on: FFmpeg's default 20 ms at 48 kHz. */
    static final int PACKET_SAMPLES = 960;
    private static final byte[] CAPTURE = "OggS".getBytes(StandardCharsets.US_ASCII);
    private static final int[] CRC_TABLE = crcTable();
    /** Packets per page written: about a second of sound, well under the 255 lacing values. */
    private static final int PACKETS_PER_PAGE = 50;

    private OggOpus() {
    }

    /** The identification header, the comment header and the audio packets of one file. */
    record Stream(byte[] head, byte[] tags, List<byte[]> packets) {

        int preSkip() {
            return OggOpus.preSkip(head);
        }
    }

    static Stream read(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int i = 0;
        while (i < d.length) {
            if (d.length - i < 27 || !Arrays.equals(d, i, i + 4, CAPTURE, 0, 4)) {
                throw new IOException("not an Ogg page at byte " + i + " of " + file.getFileName());
            }
            int segments = d[i + 26] & 0xff;
            int p = i + 27 + segments;
            for (int s = 0; s < segments; s++) {
                int lacing = d[i + 27 + s] & 0xff;
                if (p + lacing > d.length) {
                    throw new IOException("truncated Ogg page at byte " + i + " of " + file.getFileName());
                }
                current.write(d, p, lacing);
                p += lacing;
                if (lacing < 255) { // a lacing value under 255 ends a packet
                    packets.add(current.toByteArray());
                    current.reset();
                }
            }
            i = p;
        }
        if (packets.size() < 2 || !startsWith(packets.get(0), "OpusHead") || !startsWith(packets.get(1), "OpusTags")) {
            throw new IOException(file.getFileName() + " is not an Ogg Opus file");
        }
        List<byte[]> audio = packets.subList(2, packets.size());
        for (int k = 0; k < audio.size(); k++) {
            int samples = samples(audio.get(k));
            if (samples != PACKET_SAMPLES) {
                throw new IOException("packet " + k + " of " + file.getFileName() + " holds " + samples
                        + " samples, not " + PACKET_SAMPLES);
            }
        }
        return new Stream(packets.get(0), packets.get(1), List.copyOf(audio));
    }

    /**
     * Writes one Ogg Opus stream: the headers, then {@code packets}; the last page's granule
     * position makes a decoder stop after {@code samples} samples (RFC 7845, section 4.4).
     */
    static void write(Path file, byte[] head, byte[] tags, List<byte[]> packets, long samples) throws IOException {
        int preSkip = preSkip(head);
        int serial = 0x56535444; // any fixed number: there is one stream
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            int sequence = 0;
            writePage(out, 0x02, 0, serial, sequence++, List.of(head));
            writePage(out, 0x00, 0, serial, sequence++, List.of(tags));
            long granule = 0;
            for (int from = 0; from < packets.size(); from += PACKETS_PER_PAGE) {
                List<byte[]> page = packets.subList(from, Math.min(packets.size(), from + PACKETS_PER_PAGE));
                granule += (long) PACKET_SAMPLES * page.size();
                boolean last = from + PACKETS_PER_PAGE >= packets.size();
                writePage(out, last ? 0x04 : 0x00, last ? preSkip + samples : granule, serial, sequence++, page);
            }
        }
    }

    /** Samples the decoder drops at the start (the encoder's delay), from the OpusHead packet. */
    static int preSkip(byte[] head) {
        return (head[10] & 0xff) | (head[11] & 0xff) << 8;
    }

    /** Samples in one Opus packet, from its TOC byte (RFC 6716, section 3.1). */
    static int samples(byte[] packet) {
        if (packet.length == 0) {
            return 0;
        }
        int toc = packet[0] & 0xff;
        int config = toc >> 3;
        int perFrame;
        if (config < 12) { // SILK: 10, 20, 40, 60 ms
            perFrame = new int[] {480, 960, 1920, 2880}[config & 3];
        } else if (config < 16) { // hybrid: 10, 20 ms
            perFrame = (config & 1) == 0 ? 480 : 960;
        } else { // CELT: 2.5, 5, 10, 20 ms
            perFrame = 120 << (config & 3);
        }
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> packet.length < 2 ? 0 : packet[1] & 0x3f;
        };
        return perFrame * frames;
    }

    private static void writePage(OutputStream out, int flags, long granule, int serial, int sequence,
                                  List<byte[]> packets) throws IOException {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        int bodyLength = 0;
        for (byte[] p : packets) {
            int n = p.length;
            while (n >= 255) {
                lacing.write(255);
                n -= 255;
            }
            lacing.write(n);
            bodyLength += p.length;
        }
        byte[] segments = lacing.toByteArray();
        if (segments.length > 255) {
            throw new IllegalStateException("Ogg page with " + segments.length + " lacing values");
        }
        ByteBuffer page = ByteBuffer.allocate(27 + segments.length + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
        page.put(CAPTURE).put((byte) 0).put((byte) flags).putLong(granule).putInt(serial).putInt(sequence)
                .putInt(0).put((byte) segments.length).put(segments);
        for (byte[] p : packets) {
            page.put(p);
        }
        byte[] bytes = page.array();
        ByteBuffer.wrap(bytes, 22, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc(bytes));
        out.write(bytes);
    }

    /** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value and final xor 0. */
    static int crc(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04c11db7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }

    private static boolean startsWith(byte[] packet, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        return packet.length >= m.length && Arrays.equals(packet, 0, m.length, m, 0, m.length);
    }
}
