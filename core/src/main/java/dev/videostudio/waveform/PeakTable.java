package dev.videostudio.waveform;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The pixels of one stretch of audio as fixed-size records of 16-bit values: per channel
 * min/max, then downmix min/max, then low/mid/high band energies. Kept in memory (for the
 * command line) or, for the server's jobs, spilled to a temporary file as they come, so the
 * memory a job needs does not grow with the duration.
 */
final class PeakTable implements PeakAccumulator.PixelSink, AutoCloseable {

    /** Reads records in order; {@code record} is reused between calls. */
    interface Visitor {
        void pixel(short[] record) throws IOException;
    }

    final int channels;
    final int recordSize;
    private final Path spill;
    private OutputStream out;
    private final byte[] recordBytes;
    private short[] memory;
    private int length;

    private PeakTable(int channels, int expectedPixels, Path spill) {
        this.channels = channels;
        this.recordSize = 2 * channels + 5;
        this.spill = spill;
        this.recordBytes = new byte[2 * recordSize];
        if (spill == null) {
            memory = new short[Math.max(16, expectedPixels) * recordSize];
        } else {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + spill, e);
            }
        }
    }

    static PeakTable inMemory(int channels, int expectedPixels) {
        return new PeakTable(channels, expectedPixels, null);
    }

    /** A table written to {@code file} (a temporary file, deleted by {@link #close()}). */
    static PeakTable onDisk(int channels, Path file) {
        return new PeakTable(channels, 0, file);
    }

    /** Where the records of the split, downmix and band values start in a record. */
    int mergedAt() {
        return 2 * channels;
    }

    int bandsAt() {
        return 2 * channels + 2;
    }

    @Override
    public void pixel(short[] minMax, short[] merged, short[] bands) {
        if (memory != null) {
            if ((length + 1) * recordSize > memory.length) {
                memory = Arrays.copyOf(memory, (length + length / 2 + 16) * recordSize);
            }
            int at = length * recordSize;
            System.arraycopy(minMax, 0, memory, at, 2 * channels);
            memory[at + mergedAt()] = merged[0];
            memory[at + mergedAt() + 1] = merged[1];
            System.arraycopy(bands, 0, memory, at + bandsAt(), 3);
        } else {
            try {
                // one write per record: byte-wise writes to a buffered stream cost more than the decode
                int p = 0;
                for (short v : minMax) {
                    p = putShort(v, p);
                }
                p = putShort(merged[0], p);
                p = putShort(merged[1], p);
                for (short v : bands) {
                    p = putShort(v, p);
                }
                out.write(recordBytes, 0, p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + spill, e);
            }
        }
        length++;
    }

    private int putShort(short v, int p) {
        recordBytes[p] = (byte) v;
        recordBytes[p + 1] = (byte) (v >> 8);
        return p + 2;
    }

    int length() {
        return length;
    }

    /** Calls {@code visitor} for every record in order. */
    void scan(Visitor visitor) throws IOException {
        short[] record = new short[recordSize];
        scanChunks((records, count) -> {
            for (int i = 0; i < count; i++) {
                System.arraycopy(records, i * recordSize, record, 0, recordSize);
                visitor.pixel(record);
            }
        });
    }

    /** Reads consecutive records in bulk; {@code records} holds {@code count} of them back to back and is reused. */
    interface ChunkVisitor {
        void records(short[] records, int count) throws IOException;
    }

    /** Calls {@code visitor} with all records in order, many at a time. */
    void scanChunks(ChunkVisitor visitor) throws IOException {
        if (memory != null) {
            visitor.records(memory, length);
            return;
        }
        out.flush();
        int perChunk = Math.max(1, (1 << 16) / (2 * recordSize));
        byte[] bytes = new byte[perChunk * 2 * recordSize];
        short[] records = new short[perChunk * recordSize];
        ShortBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        try (InputStream in = Files.newInputStream(spill)) {
            for (int i = 0; i < length; i += perChunk) {
                int n = Math.min(perChunk, length - i);
                if (in.readNBytes(bytes, 0, n * 2 * recordSize) != n * 2 * recordSize) {
                    throw new IOException("short read in " + spill);
                }
                view.get(0, records, 0, n * recordSize);
                visitor.records(records, n);
            }
        }
    }

    /** Drops the records (and the temporary file). */
    @Override
    public void close() {
        memory = null;
        if (spill != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            dev.videostudio.MediaRoot.deleteQuietly(spill);
        }
    }

    /** Total pixels of consecutive tables. */
    static int length(List<PeakTable> parts) {
        int n = 0;
        for (PeakTable p : parts) {
            n += p.length;
        }
        return n;
    }
}
