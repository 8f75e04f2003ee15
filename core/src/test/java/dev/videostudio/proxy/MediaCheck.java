package dev.videostudio.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test-side measurements of rendered media, made with the ffmpeg/ffprobe programs directly. */
final class MediaCheck {

    static final int THUMB_W = 64;
    static final int THUMB_H = 36;

    private MediaCheck() {
    }

    /** A file of {@code ../shared/media}. */
    static Path shared(String name) {
        Path p = Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media")).resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared media file missing: " + p);
        }
        return p;
    }

    /** Runs a program, failing with its output when it fails; returns stdout bytes. */
    static byte[] run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            t.join();
            if (rc != 0) {
                throw new IllegalStateException(command + " failed: " + err.toString(StandardCharsets.UTF_8));
            }
            return command.getFirst().equals("ffmpeg") && out.length == 0 ? err.toByteArray() : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The first audio stream decoded to interleaved stereo 32-bit float samples at 48 kHz. */
    static float[] pcm(Path file) {
        byte[] raw = run(List.of("ffmpeg", "-v", "error", "-i", file.toString(), "-map", "0:a:0",
                "-ac", "2", "-ar", "48000", "-f", "f32le", "-"));
        float[] samples = new float[raw.length / 4];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(samples);
        return samples;
    }

    /** Makes a media file with lavfi sources: {@code ffmpeg -y ARGS... out}. */
    static Path generate(Path out, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        run(cmd);
        return out;
    }

    /**
     * A small grayscale picture of the frame at {@code seconds}, fitted into 64x36 with black
     * bars (as the renderer does).
     */
    static byte[] thumb(Path file, double seconds, boolean autorotate) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error"));
        if (!autorotate) {
            cmd.add("-noautorotate");
        }
        cmd.addAll(List.of("-ss", fmt(seconds), "-i", file.toString(), "-frames:v", "1",
                "-vf", "scale=" + THUMB_W + ":" + THUMB_H + ":force_original_aspect_ratio=decrease,pad="
                        + THUMB_W + ":" + THUMB_H + ":(ow-iw)/2:(oh-ih)/2,format=gray",
                "-f", "rawvideo", "-"));
        byte[] b = run(cmd);
        if (b.length != THUMB_W * THUMB_H) {
            throw new IllegalStateException("no frame at " + seconds + " s in " + file + " (" + b.length + " bytes)");
        }
        return b;
    }

    /** Mean absolute difference of two thumbnails, 0..255. */
    static double difference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / a.length;
    }

    /** Mean volume in dB of the audio between {@code from} and {@code to} seconds ({@code -91} is silence). */
    static double meanVolume(Path file, double from, double to) {
        String out = new String(run(List.of("ffmpeg", "-v", "info", "-nostats", "-ss", fmt(from), "-t", fmt(to - from),
                "-i", file.toString(), "-vn", "-af", "volumedetect", "-f", "null", "-")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("mean_volume: (-?[0-9.inf]+) dB").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no volume measured: " + out);
        }
        return m.group(1).contains("inf") ? -200 : Double.parseDouble(m.group(1));
    }

    /** ffprobe's answer for one entry, for example {@code stream=codec_name} of {@code v:0}. */
    static String probe(Path file, String stream, String entries) {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        if (stream != null) {
            cmd.addAll(List.of("-select_streams", stream));
        }
        cmd.addAll(List.of("-show_entries", entries, "-of", "default=nw=1:nk=1", file.toString()));
        return new String(run(cmd), StandardCharsets.UTF_8).trim();
    }

    /** Number of video frames (packets) in the file, counted. */
    static long videoFramesCounted(Path file) {
        List<String> cmd = List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                "-show_entries", "stream=nb_read_packets", "-of", "default=nw=1:nk=1", file.toString());
        return Long.parseLong(new String(run(cmd), StandardCharsets.UTF_8).trim());
    }

    /**
     * The top-level elements of a WebM Segment, in file order, up to the first Cluster: what a
     * browser reads before it can seek. Each is named by its EBML id in hex.
     */
    static List<String> webmTopLevel(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            int[] pos = {0};
            List<String> ids = new ArrayList<>();
            long headerId = readId(b, pos);
            long headerSize = readSize(b, pos);
            if (headerId != 0x1A45DFA3L) {
                throw new IllegalStateException("not EBML");
            }
            pos[0] += (int) headerSize;
            long segmentId = readId(b, pos);
            readSize(b, pos);
            if (segmentId != 0x18538067L) {
                throw new IllegalStateException("no Segment");
            }
            while (pos[0] < b.length) {
                long id = readId(b, pos);
                long size = readSize(b, pos);
                ids.add(Long.toHexString(id).toUpperCase(Locale.ROOT));
                if (id == 0x1F43B675L) {
                    break;
                }
                pos[0] += (int) size;
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long readId(byte[] b, int[] pos) {
        int first = b[pos[0]] & 0xff;
        int len = Integer.numberOfLeadingZeros(first) - 24 + 1;
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[pos[0] + i] & 0xff);
        }
        pos[0] += len;
        return v;
    }

    private static long readSize(byte[] b, int[] pos) {
        int first = b[pos[0]] & 0xff;
        int len = Integer.numberOfLeadingZeros(first) - 24 + 1;
        long v = first & (0xff >> len);
        for (int i = 1; i < len; i++) {
            v = (v << 8) | (b[pos[0] + i] & 0xff);
        }
        pos[0] += len;
        return v;
    }

    static String fmt(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
