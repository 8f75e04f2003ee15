package dev.videostudio.waveform;

import dev.videostudio.MediaRoot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.Deflater;

/**
 * Whole fine levels in the page's format (8-bit {@code .dat} with bands), made by the waveform job
 * with their tag and gzip form and kept beside the pyramid, so that their first answer is a file
 * read, as for a static file. Made on request, an hour's level at 256 samples per pixel (3.1 MB)
 * took about 20 ms to encode and hash, and 45 ms more to compress.
 */
final class PreparedAnswers {

    /** Answers at least this big are prepared; smaller ones are made in a few milliseconds. */
    static final int MIN_BYTES = 256 << 10;
    private static final int MAGIC = 0x56534131; // "VSA1"
    private static final int LEVELS = 24; // 256 samples per pixel doubled: far past any real file

    private final Path folder;

    PreparedAnswers(Path folder) {
        this.folder = folder;
    }

    /** True when {@code q} asks for exactly one whole level in the prepared format. */
    static boolean covers(WaveformQuery q, WaveformFormat format) {
        return format == WaveformFormat.DAT_BANDS && !q.split() && !q.isRange() && q.bits() == 8
                && q.samplesPerPixel() != null && q.pixelsPerSecond() == null;
    }

    /** The prepared answer to {@code q}, if the job made one. */
    Optional<WaveformAnswer> find(String assetId, WaveformQuery q, WaveformFormat format) {
        if (!covers(q, format)) {
            return Optional.empty();
        }
        Path file = file(assetId, q.samplesPerPixel());
        // read straight into the answer's arrays: the file is megabytes, read once per process
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            long size = Files.size(file);
            if (in.readInt() != MAGIC) {
                return Optional.empty();
            }
            byte[] tag = take(in, in.readUnsignedShort(), size);
            byte[] body = take(in, in.readInt(), size);
            byte[] gzip = take(in, in.readInt(), size);
            return Optional.of(new WaveformAnswer(body, new String(tag, StandardCharsets.US_ASCII), format, gzip));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (EOFException e) {
            return Optional.empty(); // not ours: the answer is made as if it were missing
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a prepared waveform answer of " + assetId, e);
        }
    }

    /**
     * Prepares the whole levels from the finest up, while their answer is at least {@link #MIN_BYTES}.
     *
     * @param encode the answer to a query, as {@link WaveformService#answer} would make it
     * @param tag    the entity tag of an answer's bytes
     */
    void prepare(String assetId, Function<WaveformQuery, byte[]> encode, Function<byte[], String> tag) {
        int spp = WaveformService.BASE_SAMPLES_PER_PIXEL;
        for (int i = 0; i < LEVELS; i++, spp *= 2) {
            byte[] body = encode.apply(new WaveformQuery(false, spp, null, 8));
            if (body.length < MIN_BYTES) {
                return;
            }
            byte[] gzip = WaveformAnswer.compress(body, Deflater.BEST_COMPRESSION);
            byte[] etag = tag.apply(body).getBytes(StandardCharsets.US_ASCII);
            MediaRoot.writeAtomically(file(assetId, spp), out -> {
                DataOutputStream d = new DataOutputStream(out);
                d.writeInt(MAGIC);
                d.writeShort(etag.length);
                d.write(etag);
                d.writeInt(body.length);
                d.write(body);
                d.writeInt(gzip.length);
                d.write(gzip);
                d.flush();
            });
        }
    }

    void delete(String assetId) {
        int spp = WaveformService.BASE_SAMPLES_PER_PIXEL;
        for (int i = 0; i < LEVELS; i++, spp *= 2) {
            MediaRoot.deleteQuietly(file(assetId, spp));
        }
    }

    private Path file(String assetId, int samplesPerPixel) {
        return folder.resolve(assetId + ".L" + samplesPerPixel + ".answer");
    }

    /** {@code n} bytes, or an {@link EOFException} when the file cannot hold them. */
    private static byte[] take(DataInputStream in, int n, long fileSize) throws IOException {
        if (n < 0 || n > fileSize) {
            throw new EOFException("a length of " + n + " in a file of " + fileSize + " bytes");
        }
        byte[] out = new byte[n];
        in.readFully(out);
        return out;
    }
}
