package dev.videostudio.waveform;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The downmix at a small pyramid of levels ({@code media/waveforms/{asset_id}.levels}), so any
 * level or span is read from a few kilobytes of one of them instead of the whole stored JSON.
 *
 * <p>Level 0 is the stored level (one record per pixel: min, max, low, mid, high as 16-bit
 * values); the coarser ones ({@link #FACTORS}) keep min, max and the exact sums of the squared
 * band values of the stored pixels they cover, so every level computed from them equals what the
 * stored data gives (the root mean square is taken once, at the end). Little-endian, fixed-size
 * records: a span is one positional read.
 */
final class LevelFile {

    /** Pixels of the stored level per pixel of each level in the file: 256 to 65536 samples per pixel. */
    static final int[] FACTORS = {1, 4, 16, 64, 256};
    private static final int MAGIC = 0x4C575356; // "VSWL"
    private static final int VERSION = 1;
    private static final int BASE_RECORD = 10;
    private static final int COARSE_RECORD = 4 + 3 * 8;
    /**
     * Bytes per read call: the channel copies through a temporary native buffer as large as the
     * read, made anew on every virtual thread (an hour's stored level is 6.2 MB).
     */
    private static final int READ_CHUNK = 256 << 10;

    /** What the header says. */
    record Header(int sampleRate, int baseSpp, int baseLength, int sourceChannels, int[] edgesHz, boolean hasBands,
                  int[] lengths, long[] offsets) {
        static int size() {
            return 4 * 10 + FACTORS.length * 12;
        }
    }

    /**
     * Items of one level: min/max and the band sums of squares, plus the stored pixels each
     * covers (fewer at the end).
     */
    record Slice(int factor, int first, int[] min, int[] max, long[][] sums) {
        int size() {
            return min.length;
        }
    }

    private LevelFile() {
    }

    /** Builds the pyramid from the stored level's pixels, given one at a time, and writes it. */
    static final class Writer {
        private final Header header;
        private final OutputStream out;
        private final ByteBuffer record = ByteBuffer.allocate(BASE_RECORD).order(ByteOrder.LITTLE_ENDIAN);
        private final int[][] min = new int[FACTORS.length][];
        private final int[][] max = new int[FACTORS.length][];
        private final long[][][] sums = new long[FACTORS.length][][];
        private int index;

        Writer(OutputStream raw, int sampleRate, int baseSpp, int baseLength, int sourceChannels, int[] edgesHz,
               boolean hasBands) throws IOException {
            int[] lengths = new int[FACTORS.length];
            long[] offsets = new long[FACTORS.length];
            long at = Header.size();
            for (int k = 0; k < FACTORS.length; k++) {
                lengths[k] = (int) ((baseLength + (long) FACTORS[k] - 1) / FACTORS[k]);
                offsets[k] = at;
                at += (long) lengths[k] * (k == 0 ? BASE_RECORD : COARSE_RECORD);
                if (k > 0) {
                    // the coarser levels are a third of the stored one: held until the end
                    min[k] = new int[lengths[k]];
                    max[k] = new int[lengths[k]];
                    java.util.Arrays.fill(min[k], Integer.MAX_VALUE);
                    java.util.Arrays.fill(max[k], Integer.MIN_VALUE);
                    sums[k] = new long[3][lengths[k]];
                }
            }
            this.header = new Header(sampleRate, baseSpp, baseLength, sourceChannels,
                    edgesHz == null ? new int[] {0, 0} : edgesHz, hasBands, lengths, offsets);
            this.out = new BufferedOutputStream(raw, 1 << 16);
            out.write(encode(header));
        }

        void add(int lo, int hi, int low, int mid, int high) throws IOException {
            if (index >= header.baseLength()) {
                throw new IllegalArgumentException("more pixels than the waveform's length says");
            }
            record.clear();
            record.putShort((short) lo).putShort((short) hi).putShort((short) low).putShort((short) mid)
                    .putShort((short) high);
            out.write(record.array());
            for (int k = 1; k < FACTORS.length; k++) {
                int j = index / FACTORS[k];
                min[k][j] = Math.min(min[k][j], lo);
                max[k][j] = Math.max(max[k][j], hi);
                sums[k][0][j] += (long) low * low;
                sums[k][1][j] += (long) mid * mid;
                sums[k][2][j] += (long) high * high;
            }
            index++;
        }

        void finish() throws IOException {
            if (index != header.baseLength()) {
                throw new IllegalStateException("got " + index + " pixels of " + header.baseLength());
            }
            ByteBuffer b = ByteBuffer.allocate(COARSE_RECORD).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 1; k < FACTORS.length; k++) {
                for (int j = 0; j < header.lengths()[k]; j++) {
                    b.clear();
                    b.putShort((short) min[k][j]).putShort((short) max[k][j])
                            .putLong(sums[k][0][j]).putLong(sums[k][1][j]).putLong(sums[k][2][j]);
                    out.write(b.array());
                }
            }
            out.flush();
        }
    }

    private static byte[] encode(Header h) {
        ByteBuffer b = ByteBuffer.allocate(Header.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(h.sampleRate()).putInt(h.baseSpp()).putInt(h.baseLength())
                .putInt(h.sourceChannels()).putInt(h.edgesHz()[0]).putInt(h.edgesHz()[1])
                .putInt(h.hasBands() ? 1 : 0).putInt(FACTORS.length);
        for (int k = 0; k < FACTORS.length; k++) {
            b.putInt(h.lengths()[k]).putLong(h.offsets()[k]);
        }
        return b.array();
    }

    /** An open pyramid; reads are positional, so one instance serves concurrent requests. */
    static final class Reader implements AutoCloseable {
        private final FileChannel channel;
        private final Header header;

        Reader(Path file) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                this.header = readHeader();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        Header header() {
            return header;
        }

        private Header readHeader() throws IOException {
            ByteBuffer b = read(0, Header.size());
            if (b.getInt() != MAGIC || b.getInt() != VERSION) {
                throw new IOException("not a waveform level file");
            }
            int sampleRate = b.getInt();
            int spp = b.getInt();
            int length = b.getInt();
            int sourceChannels = b.getInt();
            int[] edges = {b.getInt(), b.getInt()};
            boolean bands = b.getInt() == 1;
            if (b.getInt() != FACTORS.length) {
                throw new IOException("unexpected level count");
            }
            int[] lengths = new int[FACTORS.length];
            long[] offsets = new long[FACTORS.length];
            for (int k = 0; k < FACTORS.length; k++) {
                lengths[k] = b.getInt();
                offsets[k] = b.getLong();
            }
            return new Header(sampleRate, spp, length, sourceChannels, edges, bands, lengths, offsets);
        }

        /** Items {@code [from, to)} of level {@code k}, clamped to its length. */
        Slice slice(int k, int from, int to) throws IOException {
            int end = Math.min(to, header.lengths()[k]);
            int n = Math.max(0, end - from);
            int size = k == 0 ? BASE_RECORD : COARSE_RECORD;
            ByteBuffer b = read(header.offsets()[k] + (long) from * size, n * size);
            int[] min = new int[n];
            int[] max = new int[n];
            long[][] sums = new long[3][n];
            for (int i = 0; i < n; i++) {
                min[i] = b.getShort();
                max[i] = b.getShort();
                for (int s = 0; s < 3; s++) {
                    if (k == 0) {
                        long v = b.getShort();
                        sums[s][i] = v * v;
                    } else {
                        sums[s][i] = b.getLong();
                    }
                }
            }
            return new Slice(FACTORS[k], from, min, max, sums);
        }

        /**
         * The raw records {@code [from, to)} of level {@code k}, clamped to its length: {@link #recordSize}
         * bytes each, little-endian (min, max as shorts; then the stored level's three band values as
         * shorts, or a coarser level's three sums of squares as longs).
         */
        ByteBuffer records(int k, int from, int to) throws IOException {
            int end = Math.min(to, header.lengths()[k]);
            int n = Math.max(0, end - from);
            return read(header.offsets()[k] + (long) from * recordSize(k), n * recordSize(k));
        }

        static int recordSize(int k) {
            return k == 0 ? BASE_RECORD : COARSE_RECORD;
        }

        private ByteBuffer read(long position, int n) throws IOException {
            // always a heap buffer, never a mapped one: the encoding loop stays compiled for one buffer class
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                ByteBuffer chunk = b.slice(b.position(), Math.min(READ_CHUNK, b.remaining()));
                int got = channel.read(chunk, position + b.position());
                if (got < 0) {
                    throw new IOException("waveform level file cut short");
                }
                b.position(b.position() + got);
            }
            return b.flip();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
