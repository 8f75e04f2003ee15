package dev.videostudio.waveform;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.util.List;

/**
 * The two stored forms: the JSON (downmix peaks and band energies, what a plain GET returns)
 * and the audiowaveform {@code .dat} (per-channel peaks, for {@code channels=split}).
 */
final class WaveformFiles {

    static final int BITS = 16;

    private WaveformFiles() {
    }

    /** Streams the downmix JSON of a decode, pixel by pixel. */
    static void writeJson(WaveformDecoder.Decoded d, OutputStream out) throws IOException {
        List<PeakTable> parts = d.parts();
        try (JsonGenerator g = StudioJson.mapper().getFactory().createGenerator(new BufferedOutputStream(out, 1 << 16))) {
            g.writeStartObject();
            g.writeNumberField("version", 2);
            g.writeNumberField("channels", 1);
            g.writeNumberField("sample_rate", d.sampleRate());
            g.writeNumberField("samples_per_pixel", d.samplesPerPixel());
            g.writeNumberField("bits", BITS);
            g.writeNumberField("length", d.length());
            g.writeArrayFieldStart("data");
            for (PeakTable t : parts) {
                for (int i = 0; i < t.length(); i++) {
                    g.writeNumber(t.merged(i, 0));
                    g.writeNumber(t.merged(i, 1));
                }
            }
            g.writeEndArray();
            g.writeObjectFieldStart("bands");
            g.writeArrayFieldStart("edges_hz");
            g.writeNumber(PeakAccumulator.LOW_HZ);
            g.writeNumber(PeakAccumulator.HIGH_HZ);
            g.writeEndArray();
            String[] names = {"low", "mid", "high"};
            for (int b = 0; b < 3; b++) {
                g.writeArrayFieldStart(names[b]);
                for (PeakTable t : parts) {
                    for (int i = 0; i < t.length(); i++) {
                        g.writeNumber(t.band(i, b));
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNumberField("source_channels", d.channels());
            g.writeEndObject();
        }
    }

    /** Streams the per-channel {@code .dat} of a decode. */
    static void writeDat(WaveformDecoder.Decoded d, OutputStream raw) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 1 << 16);
        out.write(header(d.sampleRate(), d.samplesPerPixel(), d.length(), d.channels(), BITS));
        for (PeakTable t : d.parts()) {
            for (int i = 0; i < t.length(); i++) {
                for (int k = 0; k < 2 * d.channels(); k++) {
                    short v = t.split(i, k);
                    out.write(v & 0xff);
                    out.write((v >> 8) & 0xff);
                }
            }
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

    /** Reads a {@code .dat} (version 1 or 2); {@code bands} are taken from the JSON of the same asset. */
    static Waveform readDat(InputStream raw, Waveform.Bands bands) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
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
        int bits = (flags & 1) == 1 ? 8 : 16;
        if (length < 0 || channels < 1 || channels > 64) {
            throw new IOException("corrupt .dat header");
        }
        int[] data = new int[Math.multiplyExact(length, channels * 2)];
        for (int i = 0; i < data.length; i++) {
            data[i] = bits == 8 ? in.readByte() : (short) (in.readUnsignedByte() | in.readUnsignedByte() << 8);
        }
        return new Waveform(2, channels, sampleRate, spp, bits, length, data, bands, channels);
    }

    static Waveform readDat(Path file, Waveform.Bands bands) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readDat(in, bands);
        }
    }

    /** The downmix and per-channel waveforms of a decode, in memory (for the command line). */
    static Waveform merged(WaveformDecoder.Decoded d) {
        int n = d.length();
        int[] data = new int[n * 2];
        int[][] bands = new int[3][n];
        int at = 0;
        for (PeakTable t : d.parts()) {
            for (int i = 0; i < t.length(); i++, at++) {
                data[2 * at] = t.merged(i, 0);
                data[2 * at + 1] = t.merged(i, 1);
                for (int b = 0; b < 3; b++) {
                    bands[b][at] = t.band(i, b);
                }
            }
        }
        return new Waveform(2, 1, d.sampleRate(), d.samplesPerPixel(), BITS, n, data,
                new Waveform.Bands(new int[] {PeakAccumulator.LOW_HZ, PeakAccumulator.HIGH_HZ}, bands[0], bands[1], bands[2]),
                d.channels());
    }

    static Waveform split(WaveformDecoder.Decoded d, Waveform.Bands bands) {
        int n = d.length();
        int c = d.channels();
        int[] data = new int[n * 2 * c];
        int at = 0;
        for (PeakTable t : d.parts()) {
            for (int i = 0; i < t.length(); i++, at++) {
                for (int k = 0; k < 2 * c; k++) {
                    data[at * 2 * c + k] = t.split(i, k);
                }
            }
        }
        return new Waveform(2, c, d.sampleRate(), d.samplesPerPixel(), BITS, n, data, bands, c);
    }
}
