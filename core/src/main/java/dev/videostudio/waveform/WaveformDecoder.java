package dev.videostudio.waveform;

import dev.videostudio.ErrorCode;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.TcpOutput;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.net.PipeOutputNegotiator;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the first audio stream of a file with ffmpeg to 16-bit PCM through a pipe and feeds
 * a {@link PeakAccumulator} while it streams (memory stays flat: no samples are kept).
 *
 * <p>Long files are decoded as parallel parts, one per core. Part {@code i} seeks to a whole
 * second {@code T} one second or more before its first sample, drops the samples before it
 * (the decoder's warm-up), and covers a range that starts on a band-block boundary, so pixels
 * and band blocks are the same as a single decode. The seams are checked: the last samples
 * before a part's start must equal the previous part's last samples; any difference (a codec
 * whose seeking is not sample-exact) makes the whole file decode again in one part.
 */
final class WaveformDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(WaveformDecoder.class);
    /** Demuxers whose seeking was found sample-exact (mp3, flac, pcm, aac in mp4); others decode in one part. */
    static final Set<String> EXACT_SEEK = Set.of("mp3", "flac", "wav", "w64", "aiff", "mov", "caf");
    /** Shortest part worth its own ffmpeg process. */
    private static final double MIN_PART_SECONDS = 20;
    /** Frames compared at each seam. */
    private static final int SEAM_FRAMES = 256;

    private final FFmpegTools ffmpeg;
    private final int parallelism;

    private final Set<String> exactSeek;

    WaveformDecoder(FFmpegTools ffmpeg, int parallelism) {
        this(ffmpeg, parallelism, EXACT_SEEK);
    }

    /** {@code exactSeek}: demuxers trusted to split (tests widen it to exercise the seam check). */
    WaveformDecoder(FFmpegTools ffmpeg, int parallelism, Set<String> exactSeek) {
        this.ffmpeg = ffmpeg;
        this.parallelism = Math.max(1, parallelism);
        this.exactSeek = exactSeek;
    }

    /** What a decode produced: the format ffmpeg reported and the pixels of each part, in order. */
    record Decoded(int channels, int sampleRate, int samplesPerPixel, long frames, List<PeakTable> parts)
            implements AutoCloseable {
        int length() {
            return PeakTable.length(parts);
        }

        /** Drops the pixels (and their temporary files). */
        @Override
        public void close() {
            parts.forEach(PeakTable::close);
        }
    }

    /**
     * @param demuxer    pinned demuxer of the asset, or null
     * @param durationS  probed duration (for splitting and progress), or null
     * @param sampleRate probed sample rate (for splitting), or null
     */
    Decoded decode(Path file, String demuxer, Double durationS, Integer sampleRate, int samplesPerPixel,
                   DoubleConsumer progress, BooleanSupplier cancelled) {
        return decode(file, demuxer, durationS, sampleRate, samplesPerPixel, progress, cancelled, null);
    }

    /**
     * @param spillDir where pixels go while decoding (temporary files, deleted when the result is
     *                 closed), or null to keep them in memory
     */
    Decoded decode(Path file, String demuxer, Double durationS, Integer sampleRate, int samplesPerPixel,
                   DoubleConsumer progress, BooleanSupplier cancelled, Path spillDir) {
        int parts = 1;
        String pinned = demuxer == null ? null : FFmpegTools.firstName(demuxer);
        if (durationS != null && sampleRate != null && sampleRate > 0 && pinned != null && exactSeek.contains(pinned)) {
            parts = (int) Math.max(1, Math.min(parallelism, Math.floor(durationS / MIN_PART_SECONDS)));
        }
        double expectedFrames = durationS == null || sampleRate == null ? 0 : durationS * sampleRate;
        Progress p = new Progress(expectedFrames, progress);
        if (parts > 1) {
            Decoded d = decodeParts(file, demuxer, durationS, sampleRate, samplesPerPixel, parts, p, cancelled, spillDir);
            if (d != null) {
                return d;
            }
            p.reset();
        }
        return decodeParts(file, demuxer, durationS, sampleRate, samplesPerPixel, 1, p, cancelled, spillDir);
    }

    /** Returns null when the seams did not match (the caller decodes again in one part). */
    private Decoded decodeParts(Path file, String demuxer, Double durationS, Integer sampleRateHint, int spp,
                                int count, Progress progress, BooleanSupplier cancelled, Path spillDir) {
        List<PartReader> readers = new ArrayList<>();
        boolean kept = false;
        try {
            Decoded d = decodeParts(file, demuxer, durationS, sampleRateHint, spp, count, progress, cancelled,
                    spillDir, readers);
            kept = d != null;
            return d;
        } finally {
            if (!kept) {
                readers.forEach(r -> {
                    if (r.table != null) {
                        r.table.close();
                    }
                });
            }
        }
    }

    private Decoded decodeParts(Path file, String demuxer, Double durationS, Integer sampleRateHint, int spp,
                                int count, Progress progress, BooleanSupplier cancelled, Path spillDir,
                                List<PartReader> readers) {
        int block = spp * Math.max(1, PeakAccumulator.ceilDiv(PeakAccumulator.BAND_BLOCK, spp));
        long previousStart = 0;
        for (int i = 0; i < count; i++) {
            long seekSecond = 0;
            long start = 0;
            if (i > 0) {
                int sr = sampleRateHint;
                seekSecond = (long) Math.floor(i * durationS / count);
                long seekFrame = seekSecond * sr;
                start = ceilTo(seekFrame + sr, block); // at least a second of warm-up is dropped
                if (start <= previousStart) {
                    return null;
                }
                readers.get(i - 1).want = start - previousStart;
            }
            int expectedPixels = (int) Math.min(Integer.MAX_VALUE - 16,
                    durationS == null ? 1 << 16 : (long) (durationS * (sampleRateHint == null ? 48000 : sampleRateHint) / spp / count) + 64);
            readers.add(new PartReader(i, seekSecond, start, spp, expectedPixels, progress,
                    spillDir == null ? null : spillDir.resolve(MediaRoot.newId("peaks") + ".part")));
            previousStart = start;
        }
        for (int i = 1; i < count; i++) {
            readers.get(i).skip = readers.get(i).start - readers.get(i).seekSecond * sampleRateHint;
        }
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stop = () -> failed.get() || (cancelled != null && cancelled.getAsBoolean());
        if (count == 1) {
            run(file, demuxer, readers.get(0), durationS, 0, stop);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(count, r -> {
                Thread t = new Thread(r, "videostudio-waveform-part");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (PartReader r : readers) {
                    futures.add(pool.submit(() -> {
                        try {
                            run(file, demuxer, r, durationS, sampleRateHint, stop);
                        } catch (RuntimeException e) {
                            failed.set(true);
                            throw e;
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new StudioException(Problem.INTERNAL, ErrorCode.WAVEFORM_FAILED, "waveform decode failed: " + e.getCause());
            } catch (InterruptedException e) {
                failed.set(true);
                Thread.currentThread().interrupt();
                throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the work was interrupted");
            } finally {
                pool.shutdownNow();
            }
        }
        PartReader first = readers.get(0);
        if (first.accumulator == null) {
            throw new StudioException(Problem.INVALID, ErrorCode.NO_AUDIO, "ffmpeg found no audio samples to draw");
        }
        for (int i = 1; i < count; i++) {
            PartReader before = readers.get(i - 1);
            PartReader after = readers.get(i);
            if (!before.complete() || after.accumulator == null || after.channels != first.channels
                    || after.sampleRate != first.sampleRate || first.sampleRate != sampleRateHint
                    || !Arrays.equals(before.tail, after.head)) {
                LOG.info("waveform of {}: seam {} of {} parts is not sample-exact; decoding in one part",
                        file.getFileName(), i, count);
                return null;
            }
        }
        long frames = 0;
        List<PeakTable> tables = new ArrayList<>();
        for (PartReader r : readers) {
            frames += r.consumed;
            tables.add(r.table);
        }
        progress.done();
        return new Decoded(first.channels, first.sampleRate, spp, frames, tables);
    }

    private void run(Path file, String demuxer, PartReader reader, Double durationS, int rateHint, BooleanSupplier stop) {
        UrlInput input = ffmpeg.input(file, demuxer);
        if (reader.seekSecond > 0) {
            input.setPosition(reader.seekSecond, TimeUnit.SECONDS);
        }
        PcmPipe output = new PcmPipe(reader)
                .setFormat("wav")
                .setCodec(StreamType.AUDIO, "pcm_s16le")
                .addMap(0, "a:0")
                .disableStream(StreamType.VIDEO)
                .disableStream(StreamType.SUBTITLE)
                .disableStream(StreamType.DATA)
                // ffmpeg flushes a socket after every packet by default (a 4.6 kB send per mp3 frame):
                // full 32 kB writes make 7 times fewer system calls and wake-ups
                .addArguments("-flush_packets", "0");
        if (reader.want >= 0) {
            // a second more than needed: the reader stops counting at its range's end
            long ms = (reader.skip + reader.want) * 1000 / rateHint + 1000;
            output.setDuration(ms, TimeUnit.MILLISECONDS);
        }
        FFmpeg cmd = ffmpeg.command().addInput(input).addOutput(output);
        try {
            // progress comes from the samples read; the no-op listener only keeps Jaffree quiet
            ffmpeg.run(cmd, 1, fraction -> { }, stop);
        } catch (StudioException e) {
            if ("ffmpeg_failed".equals(e.code()) && e.getMessage() != null
                    && e.getMessage().contains("matches no streams")) {
                throw new StudioException(Problem.INVALID, ErrorCode.NO_AUDIO, "the file has no audio stream");
            }
            throw e;
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
        reader.finish();
    }

    /**
     * Jaffree's {@code PipeOutput.pumpTo} (ffmpeg writes to a loopback socket, pumped into our
     * stream) without its warning about non-seekable outputs: the WAV reader here expects that.
     */
    private static final class PcmPipe extends TcpOutput<PcmPipe> {
        PcmPipe(OutputStream destination) {
            super(new PipeOutputNegotiator(destination, 1 << 16));
        }
    }

    private static long ceilTo(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** Progress over all parts, reported in steps of at least 0.5 %. */
    private static final class Progress {
        private final double expectedFrames;
        private final DoubleConsumer sink;
        private final AtomicLong frames = new AtomicLong();
        private volatile double reported;

        Progress(double expectedFrames, DoubleConsumer sink) {
            this.expectedFrames = expectedFrames;
            this.sink = sink;
        }

        void add(long n) {
            long total = frames.addAndGet(n);
            if (sink == null || expectedFrames <= 0) {
                return;
            }
            double p = Math.min(0.99, total / expectedFrames);
            if (p - reported >= 0.005) {
                synchronized (this) { // parts report from their own threads: keep the order
                    if (p - reported >= 0.005) {
                        reported = p;
                        sink.accept(p);
                    }
                }
            }
        }

        void reset() {
            frames.set(0);
        }

        void done() {
            if (sink != null) {
                sink.accept(1.0);
            }
        }
    }

    /**
     * Reads ffmpeg's WAV stream (header, then interleaved 16-bit frames) of one part: drops
     * {@code skip} frames, feeds the next {@code want} frames (all when negative) to the
     * accumulator, and keeps the frames on both sides of the seams for the check.
     */
    private static final class PartReader extends OutputStream {
        final int index;
        final long seekSecond;
        final long start;
        final int spp;
        final int expectedPixels;
        final Progress progress;
        long skip;
        long want = -1;

        final ByteArrayOutputStream header = new ByteArrayOutputStream();
        boolean inData;
        int channels;
        int sampleRate;
        int frameBytes;
        PeakAccumulator accumulator;
        PeakTable table;
        byte[] carry;
        int carried;
        long position;
        long consumed;
        short[] head;
        short[] tail;
        StudioException failure;

        final Path spill;

        PartReader(int index, long seekSecond, long start, int spp, int expectedPixels, Progress progress, Path spill) {
            this.spill = spill;
            this.index = index;
            this.seekSecond = seekSecond;
            this.start = start;
            this.spp = spp;
            this.expectedPixels = expectedPixels;
            this.progress = progress;
        }

        boolean complete() {
            return want < 0 || consumed == want;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (failure != null) {
                return;
            }
            try {
                if (!inData) {
                    header.write(b, off, len);
                    byte[] h = header.toByteArray();
                    int dataAt = parseHeader(h);
                    if (dataAt < 0) {
                        if (h.length > 1 << 16) {
                            throw new StudioException(Problem.INTERNAL, ErrorCode.WAVEFORM_FAILED, "ffmpeg wrote no WAV data header");
                        }
                        return;
                    }
                    inData = true;
                    feed(h, dataAt, h.length - dataAt);
                    return;
                }
                feed(b, off, len);
            } catch (StudioException e) {
                failure = e;
            }
        }

        private void feed(byte[] b, int off, int len) {
            if (carried > 0) {
                int n = Math.min(len, frameBytes - carried);
                System.arraycopy(b, off, carry, carried, n);
                carried += n;
                off += n;
                len -= n;
                if (carried < frameBytes) {
                    return;
                }
                frames(carry, 0, 1);
                carried = 0;
            }
            int whole = len / frameBytes;
            if (whole > 0) {
                frames(b, off, whole);
            }
            int rest = len - whole * frameBytes;
            if (rest > 0) {
                System.arraycopy(b, off + whole * frameBytes, carry, 0, rest);
                carried = rest;
            }
        }

        private void frames(byte[] b, int off, int count) {
            int at = off;
            int left = count;
            if (position < skip) {
                int n = (int) Math.min(left, skip - position);
                capture(head, b, at, position - (skip - SEAM_FRAMES), n);
                position += n;
                at += n * frameBytes;
                left -= n;
            }
            if (left == 0) {
                return;
            }
            int n = want < 0 ? left : (int) Math.min(left, want - consumed);
            if (n <= 0) {
                return;
            }
            if (want >= 0) {
                capture(tail, b, at, consumed - (want - SEAM_FRAMES), n);
            }
            accumulator.accept(b, at, n);
            consumed += n;
            position += n;
            progress.add(n);
        }

        /** Copies the frames of {@code b} that fall in the window {@code [0, SEAM_FRAMES)} of {@code into}. */
        private void capture(short[] into, byte[] b, int at, long firstIndex, int n) {
            long from = Math.max(0, firstIndex);
            long to = Math.min(SEAM_FRAMES, firstIndex + n);
            for (long i = from; i < to; i++) {
                int p = at + (int) (i - firstIndex) * frameBytes;
                for (int ch = 0; ch < channels; ch++) {
                    into[(int) i * channels + ch] = (short) ((b[p] & 0xff) | (b[p + 1] << 8));
                    p += 2;
                }
            }
        }

        /** Finds {@code fmt } and {@code data}; returns the offset of the samples, or -1 when more bytes are needed. */
        private int parseHeader(byte[] h) {
            if (h.length < 12) {
                return -1;
            }
            if (!(h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F' && h[8] == 'W' && h[9] == 'A')) {
                throw new StudioException(Problem.INTERNAL, ErrorCode.WAVEFORM_FAILED, "ffmpeg did not write WAV");
            }
            int p = 12;
            while (p + 8 <= h.length) {
                String id = new String(h, p, 4, java.nio.charset.StandardCharsets.US_ASCII);
                long size = le32(h, p + 4) & 0xffffffffL;
                if (id.equals("data")) {
                    if (channels == 0) {
                        throw new StudioException(Problem.INTERNAL, ErrorCode.WAVEFORM_FAILED, "WAV data before its format");
                    }
                    return p + 8;
                }
                if (p + 8 + size > h.length) {
                    return -1;
                }
                if (id.equals("fmt ")) {
                    channels = (h[p + 10] & 0xff) | (h[p + 11] & 0xff) << 8;
                    sampleRate = le32(h, p + 12);
                    int bits = (h[p + 22] & 0xff) | (h[p + 23] & 0xff) << 8;
                    if (channels < 1 || sampleRate < 1 || bits != 16) {
                        throw new StudioException(Problem.INTERNAL, ErrorCode.WAVEFORM_FAILED, "unexpected PCM format from ffmpeg");
                    }
                    frameBytes = 2 * channels;
                    carry = new byte[frameBytes];
                    head = new short[SEAM_FRAMES * channels];
                    tail = new short[SEAM_FRAMES * channels];
                    table = spill == null ? PeakTable.inMemory(channels, expectedPixels) : PeakTable.onDisk(channels, spill);
                    accumulator = new PeakAccumulator(channels, sampleRate, spp, table);
                }
                p += 8 + (int) size + (int) (size & 1);
            }
            return -1;
        }

        private static int le32(byte[] b, int p) {
            return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
        }

        /** Ends the stream: the last part flushes its partial pixel. */
        void finish() {
            if (accumulator != null && want < 0) {
                accumulator.finish();
            }
        }
    }
}
