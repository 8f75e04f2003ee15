package dev.videostudio.waveform;

import dev.videostudio.MediaRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pixels of one stretch of audio as fixed-size records of 16-bit values: per channel
 * min/max, then downmix min/max, then low/mid/high band energies. Kept in memory (for the
 * command line) or, for the server's jobs, spilled to temporary files as they come, so the
 * memory a job needs does not grow with the duration.
 *
 * <p>A spilled table also writes the stored forms of its pixels as they come: the {@code .dat}
 * body and the JSON's arrays as text. The decode's threads do that while the cores are shared
 * with ffmpeg anyway; afterwards the stored files are only concatenated, on one thread.
 */
final class PeakTable implements PeakAccumulator.PixelSink, AutoCloseable {

    /** Reads records in order; {@code record} is reused between calls. */
    interface Visitor {
        void pixel(short[] record) throws IOException;
    }

    /** The JSON arrays: downmix min/max pairs, then the low, mid and high band energies. */
    static final int DATA = 0;
    static final int LOW = 1;
    static final int MID = 2;
    static final int HIGH = 3;

    final int channels;
    final int recordSize;
    private short[] memory;
    private int length;
    /** Spilled: the records, the .dat body, and one comma-separated text per JSON array. */
    private final Path spill;
    private final List<Path> files = new ArrayList<>();
    private final List<OutputStream> streams = new ArrayList<>();
    private BinaryOut records;
    private BinaryOut dat;
    private AsciiNumbers[] json;
    private Path[] jsonFiles;

    private PeakTable(int channels, int expectedPixels, Path spill) {
        this.channels = channels;
        this.recordSize = 2 * channels + 5;
        this.spill = spill;
        if (spill == null) {
            memory = new short[Math.max(16, expectedPixels) * recordSize];
            return;
        }
        try {
            records = new BinaryOut(open(spill));
            dat = new BinaryOut(open(spill.resolveSibling(spill.getFileName() + ".dat")));
            json = new AsciiNumbers[4];
            jsonFiles = new Path[4];
            for (int c = 0; c < 4; c++) {
                jsonFiles[c] = spill.resolveSibling(spill.getFileName() + ".json" + c);
                json[c] = new AsciiNumbers(open(jsonFiles[c]), 1 << 14);
            }
        } catch (IOException e) {
            close();
            throw dev.videostudio.StudioException.writeFailure("a waveform spill file", e);
        }
    }

    private OutputStream open(Path file) throws IOException {
        files.add(file);
        OutputStream out = Files.newOutputStream(file);
        streams.add(out);
        return out;
    }

    static PeakTable inMemory(int channels, int expectedPixels) {
        return new PeakTable(channels, expectedPixels, null);
    }

    /** A table written to {@code file} and siblings (temporary files, deleted by {@link #close()}). */
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
                for (short v : minMax) {
                    records.putShort(v);
                    dat.putShort(v);
                }
                records.putShort(merged[0]);
                records.putShort(merged[1]);
                for (short v : bands) {
                    records.putShort(v);
                }
                json[DATA].next(merged[0]);
                json[DATA].next(merged[1]);
                json[LOW].next(bands[0]);
                json[MID].next(bands[1]);
                json[HIGH].next(bands[2]);
            } catch (IOException e) {
                throw dev.videostudio.StudioException.writeFailure("a waveform spill file", e);
            }
        }
        length++;
    }

    int length() {
        return length;
    }

    /** Writes the {@code .dat} body: per pixel, per channel min then max, little-endian. */
    void writeDat(OutputStream out) throws IOException {
        if (spill != null) {
            flush();
            Files.copy(files.get(1), out);
            return;
        }
        int values = 2 * channels;
        byte[] bytes = new byte[2 * values];
        for (int i = 0, at = 0; i < length; i++, at += recordSize) {
            for (int k = 0; k < values; k++) {
                bytes[2 * k] = (byte) memory[at + k];
                bytes[2 * k + 1] = (byte) (memory[at + k] >> 8);
            }
            out.write(bytes);
        }
    }

    /** Writes the values of JSON array {@code array} ({@link #DATA}...{@link #HIGH}), comma-separated, no brackets. */
    void writeJson(int array, OutputStream out) throws IOException {
        if (spill != null) {
            flush();
            Files.copy(jsonFiles[array], out);
            return;
        }
        AsciiNumbers a = new AsciiNumbers(out, 1 << 16);
        for (int i = 0, at = 0; i < length; i++, at += recordSize) {
            if (array == DATA) {
                a.next(memory[at + mergedAt()]);
                a.next(memory[at + mergedAt() + 1]);
            } else {
                a.next(memory[at + bandsAt() + array - 1]);
            }
        }
        a.flush();
    }

    /** Calls {@code visitor} for every record in order. */
    void scan(Visitor visitor) throws IOException {
        short[] record = new short[recordSize];
        if (memory != null) {
            for (int i = 0; i < length; i++) {
                System.arraycopy(memory, i * recordSize, record, 0, recordSize);
                visitor.pixel(record);
            }
            return;
        }
        flush();
        int perChunk = Math.max(1, (1 << 16) / (2 * recordSize));
        byte[] bytes = new byte[perChunk * 2 * recordSize];
        ShortBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        try (InputStream in = Files.newInputStream(spill)) {
            for (int i = 0; i < length; i += perChunk) {
                int n = Math.min(perChunk, length - i);
                if (in.readNBytes(bytes, 0, n * 2 * recordSize) != n * 2 * recordSize) {
                    throw new IOException("short read in " + spill);
                }
                for (int r = 0; r < n; r++) {
                    view.get(r * recordSize, record);
                    visitor.pixel(record);
                }
            }
        }
    }

    /** Writes what is buffered to the spill files (before they are read). */
    private void flush() throws IOException {
        records.flush();
        dat.flush();
        for (AsciiNumbers a : json) {
            a.flush();
        }
    }

    /** Drops the records (and the temporary files). */
    @Override
    public void close() {
        memory = null;
        for (OutputStream s : streams) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }
        files.forEach(MediaRoot::deleteQuietly);
    }

    /** Total pixels of consecutive tables. */
    static int length(List<PeakTable> parts) {
        int n = 0;
        for (PeakTable p : parts) {
            n += p.length;
        }
        return n;
    }

    /** Little-endian shorts to a stream through our own buffer (a write per value to a buffered stream costs more). */
    private static final class BinaryOut {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int at;

        BinaryOut(OutputStream out) {
            this.out = out;
        }

        void putShort(short v) throws IOException {
            if (at == buf.length) {
                flush();
            }
            buf[at++] = (byte) v;
            buf[at++] = (byte) (v >> 8);
        }

        void flush() throws IOException {
            out.write(buf, 0, at);
            at = 0;
        }
    }
}
