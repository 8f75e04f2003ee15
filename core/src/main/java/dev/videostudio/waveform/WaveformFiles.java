package dev.videostudio.waveform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.videostudio.StudioJson;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two stored forms: the JSON (downmix peaks and band energies, what a plain GET returns)
 * and the audiowaveform {@code .dat} (per-channel peaks, for {@code channels=split}).
 */
final class WaveformFiles {

    static final int BITS = 16;

    private WaveformFiles() {
    }

    /**
     * Writes the downmix JSON of a decode. Its arrays come from the parts as text (a spilled part
     * formatted them while decoding), so this mostly copies files.
     */
    static void writeJson(WaveformDecoder.Decoded d, OutputStream out) throws IOException {
        AsciiNumbers a = new AsciiNumbers(out, 1 << 10);
        a.text("{\"version\":2,\"channels\":1,\"sample_rate\":").number(d.sampleRate())
                .text(",\"samples_per_pixel\":").number(d.samplesPerPixel())
                .text(",\"bits\":").number(BITS)
                .text(",\"length\":").number(d.length())
                .text(",\"data\":");
        array(d, PeakTable.DATA, a, out);
        a.text(",\"bands\":{\"edges_hz\":[").number(PeakAccumulator.LOW_HZ).text(",").number(PeakAccumulator.HIGH_HZ)
                .text("],\"low\":");
        array(d, PeakTable.LOW, a, out);
        a.text(",\"mid\":");
        array(d, PeakTable.MID, a, out);
        a.text(",\"high\":");
        array(d, PeakTable.HIGH, a, out);
        a.text("},\"source_channels\":").number(d.channels()).text("}");
        a.flush();
        out.flush();
    }

    /** One JSON array over all parts: {@code a} writes the punctuation, the parts their values. */
    private static void array(WaveformDecoder.Decoded d, int array, AsciiNumbers a, OutputStream out) throws IOException {
        a.text("[");
        boolean first = true;
        for (PeakTable t : d.parts()) {
            if (t.length() > 0) {
                a.text(first ? "" : ",").flush();
                t.writeJson(array, out);
                first = false;
            }
        }
        a.text("]");
    }

    /** Writes the per-channel {@code .dat} of a decode. */
    static void writeDat(WaveformDecoder.Decoded d, OutputStream raw) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        out.write(header(d.sampleRate(), d.samplesPerPixel(), d.length(), d.channels(), BITS));
        for (PeakTable t : d.parts()) {
            t.writeDat(out);
        }
        out.flush();
    }

    static void writeDat(Waveform w, OutputStream raw) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        out.write(header(w.sampleRate(), w.samplesPerPixel(), w.length(), w.channels(), w.bits()));
        for (int v : w.data()) {
            if (w.bits() == 8) {
                out.write(v & 0xff);
            } else {
                out.write(v & 0xff);
                out.write((v >> 8) & 0xff);
            }
        }
        out.flush();
    }

    private static byte[] header(int sampleRate, int spp, int length, int channels, int bits) {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(2).putInt(bits == 8 ? 1 : 0).putInt(sampleRate).putInt(spp).putInt(length).putInt(channels);
        return h.array();
    }

    static Waveform readJson(Path file) throws IOException {
        return StudioJson.mapper().readValue(file.toFile(), Waveform.class);
    }

    /**
     * Reads a stored JSON at the level {@code query} asks for, reducing while it streams: memory
     * is the size of the answer, not of the stored file. Needs the header fields before
     * {@code data}, as {@link #writeJson} writes them.
     */
    static Waveform readJsonLevel(Path file, WaveformQuery query) throws IOException {
        int version = 2;
        int channels = 1;
        int sampleRate = 0;
        int spp = 0;
        int bits = BITS;
        int length = -1;
        int sourceChannels = 1;
        Levels.Plan plan = null;
        int[] data = null;
        int[] edges = null;
        int[][] bands = new int[3][];
        try (JsonParser p = StudioJson.mapper().getFactory().createParser(file.toFile())) {
            expect(p.nextToken() == JsonToken.START_OBJECT, file);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "version" -> version = p.getIntValue();
                    case "channels" -> channels = p.getIntValue();
                    case "sample_rate" -> sampleRate = p.getIntValue();
                    case "samples_per_pixel" -> spp = p.getIntValue();
                    case "bits" -> bits = p.getIntValue();
                    case "length" -> length = p.getIntValue();
                    case "source_channels" -> sourceChannels = p.getIntValue();
                    case "data" -> {
                        expect(value == JsonToken.START_ARRAY && length >= 0 && spp > 0 && sampleRate > 0, file);
                        plan = Levels.plan(spp, bits, Levels.target(query, spp, sampleRate), query.bits());
                        Levels.Peaks peaks = new Levels.Peaks(channels, plan, length);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            peaks.add(p.getIntValue());
                        }
                        data = peaks.data();
                    }
                    case "bands" -> {
                        expect(value == JsonToken.START_OBJECT && plan != null, file);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            p.nextToken();
                            int band = switch (name) {
                                case "low" -> 0;
                                case "mid" -> 1;
                                case "high" -> 2;
                                default -> -1;
                            };
                            if (name.equals("edges_hz")) {
                                edges = p.readValueAs(int[].class);
                            } else if (band >= 0) {
                                Levels.Energies e = new Levels.Energies(plan, length);
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    e.add(p.getIntValue());
                                }
                                bands[band] = e.values();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        expect(data != null && version == 2, file);
        Waveform.Bands b = bands[0] == null ? null : new Waveform.Bands(edges, bands[0], bands[1], bands[2]);
        return new Waveform(2, channels, sampleRate, plan.samplesPerPixel(spp), plan.bits(), plan.length(length), data,
                b, sourceChannels);
    }

    /** Reads a stored {@code .dat} at the level {@code query} asks for, reducing while it streams. */
    static Waveform readDatLevel(Path file, WaveformQuery query, Waveform.Bands bands) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            Header h = readHeader(in);
            Levels.Plan plan = Levels.plan(h.spp(), h.bits(), Levels.target(query, h.spp(), h.sampleRate()), query.bits());
            Levels.Peaks peaks = new Levels.Peaks(h.channels(), plan, h.length());
            long values = (long) h.length() * h.channels() * 2;
            for (long i = 0; i < values; i++) {
                peaks.add(h.bits() == 8 ? in.readByte() : (short) (in.readUnsignedByte() | in.readUnsignedByte() << 8));
            }
            return new Waveform(2, h.channels(), h.sampleRate(), plan.samplesPerPixel(h.spp()), plan.bits(),
                    plan.length(h.length()), peaks.data(), bands, h.channels());
        }
    }

    private static void expect(boolean ok, Path file) throws IOException {
        if (!ok) {
            throw new IOException("not a waveform file as written here: " + file);
        }
    }

    private record Header(int sampleRate, int spp, int length, int channels, int bits) {
    }

    private static Header readHeader(DataInputStream in) throws IOException {
        byte[] head = new byte[20];
        in.readFully(head);
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int version = h.getInt();
        int flags = h.getInt();
        int sampleRate = h.getInt();
        int spp = h.getInt();
        int length = h.getInt();
        int channels = 1;
        if (version == 2) {
            byte[] c = new byte[4];
            in.readFully(c);
            channels = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else if (version != 1) {
            throw new IOException("not an audiowaveform .dat file (version " + version + ")");
        }
        if (length < 0 || channels < 1 || channels > 64 || spp < 1 || sampleRate < 1) {
            throw new IOException("corrupt .dat header");
        }
        return new Header(sampleRate, spp, length, channels, (flags & 1) == 1 ? 8 : 16);
    }

    /** Reads a {@code .dat} (version 1 or 2) as it is. */
    static Waveform readDat(InputStream raw, Waveform.Bands bands) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        Header h = readHeader(in);
        int[] data = new int[Math.multiplyExact(h.length(), h.channels() * 2)];
        for (int i = 0; i < data.length; i++) {
            data[i] = h.bits() == 8 ? in.readByte() : (short) (in.readUnsignedByte() | in.readUnsignedByte() << 8);
        }
        return new Waveform(2, h.channels(), h.sampleRate(), h.spp(), h.bits(), h.length(), data, bands, h.channels());
    }

    static Waveform readDat(Path file, Waveform.Bands bands) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readDat(in, bands);
        }
    }

    /** Writes the level pyramid of a decode's downmix ({@link LevelFile}). */
    static void writeLevels(WaveformDecoder.Decoded d, OutputStream out) throws IOException {
        LevelFile.Writer w = new LevelFile.Writer(out, d.sampleRate(), d.samplesPerPixel(), d.length(), d.channels(),
                new int[] {PeakAccumulator.LOW_HZ, PeakAccumulator.HIGH_HZ}, true);
        for (PeakTable t : d.parts()) {
            t.scan(r -> w.add(r[t.mergedAt()], r[t.mergedAt() + 1], r[t.bandsAt()], r[t.bandsAt() + 1],
                    r[t.bandsAt() + 2]));
        }
        w.finish();
    }

    /** Writes the level pyramid of a stored downmix waveform (for waveforms stored before pyramids). */
    static void writeLevels(Waveform m, OutputStream out) throws IOException {
        Waveform.Bands b = m.bands();
        LevelFile.Writer w = new LevelFile.Writer(out, m.sampleRate(), m.samplesPerPixel(), m.length(),
                m.sourceChannels(), b == null ? null : b.edgesHz(), b != null);
        for (int i = 0; i < m.length(); i++) {
            w.add(m.data()[2 * i], m.data()[2 * i + 1], b == null ? 0 : b.low()[i], b == null ? 0 : b.mid()[i],
                    b == null ? 0 : b.high()[i]);
        }
        w.finish();
    }

    /** Encodes a waveform as the binary answer: the {@code .dat}, then the bands when asked for. */
    static byte[] binary(Waveform w, boolean withBands) {
        int size = w.bits() / 8;
        int n = w.length();
        byte[] out = new byte[24 + n * size * (2 * w.channels() + (withBands ? 3 : 0))];
        System.arraycopy(header(w.sampleRate(), w.samplesPerPixel(), n, w.channels(), w.bits()), 0, out, 0, 24);
        int at = put(w.data(), size, out, 24);
        if (withBands) {
            Waveform.Bands b = w.bands();
            if (b != null) {
                at = put(b.low(), size, out, at);
                at = put(b.mid(), size, out, at);
                put(b.high(), size, out, at);
            }
        }
        return out;
    }

    /** Values as little-endian bytes (one each at 8 bits); returns where the next ones go. */
    private static int put(int[] values, int size, byte[] out, int at) {
        for (int v : values) {
            out[at++] = (byte) v;
            if (size == 2) {
                out[at++] = (byte) (v >> 8);
            }
        }
        return at;
    }

    /** The downmix waveform of a decode, in memory (for the command line). */
    static Waveform merged(WaveformDecoder.Decoded d) {
        int n = d.length();
        int[] data = new int[n * 2];
        int[][] bands = new int[3][n];
        int[] at = {0};
        scanAll(d, (t, r) -> {
            int i = at[0]++;
            data[2 * i] = r[t.mergedAt()];
            data[2 * i + 1] = r[t.mergedAt() + 1];
            for (int b = 0; b < 3; b++) {
                bands[b][i] = r[t.bandsAt() + b];
            }
        });
        return new Waveform(2, 1, d.sampleRate(), d.samplesPerPixel(), BITS, n, data,
                new Waveform.Bands(new int[] {PeakAccumulator.LOW_HZ, PeakAccumulator.HIGH_HZ}, bands[0], bands[1], bands[2]),
                d.channels());
    }

    /** The per-channel waveform of a decode, in memory (for the command line). */
    static Waveform split(WaveformDecoder.Decoded d, Waveform.Bands bands) {
        int n = d.length();
        int values = 2 * d.channels();
        int[] data = new int[n * values];
        int[] at = {0};
        scanAll(d, (t, r) -> {
            for (int k = 0; k < values; k++) {
                data[at[0]++] = r[k];
            }
        });
        return new Waveform(2, d.channels(), d.sampleRate(), d.samplesPerPixel(), BITS, n, data, bands, d.channels());
    }

    private interface TableVisitor {
        void pixel(PeakTable table, short[] record);
    }

    private static void scanAll(WaveformDecoder.Decoded d, TableVisitor v) {
        try {
            for (PeakTable t : d.parts()) {
                t.scan(r -> v.pixel(t, r));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
