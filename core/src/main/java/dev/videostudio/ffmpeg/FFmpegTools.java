package dev.videostudio.ffmpeg;

import dev.videostudio.ErrorCode;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.FFmpegResultFuture;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;

/**
 * The FFmpeg and FFprobe programs and the one place where the security rules for user media
 * are applied: every input opened here is limited to the {@code file} protocol and to a
 * whitelist of demuxers that cannot make FFmpeg open another file or a URL (no HLS, DASH,
 * concat lists, SDP or image sequences), and every run has a time limit.
 */
public final class FFmpegTools {

    /**
     * Demuxers accepted for user media. Each name matches one part of FFmpeg's comma-joined
     * demuxer names ({@code mov} matches {@code mov,mp4,m4a,3gp,3g2,mj2}).
     */
    public static final List<String> DEMUXERS = List.of(
            "mov", "matroska", "mp3", "flac", "wav", "w64", "ogg", "aac", "aiff", "avi", "flv",
            "mpegts", "mpeg", "asf", "caf", "amr", "ac3", "eac3", "dts", "truehd", "mpegvideo",
            "h264", "hevc", "ivf", "gif", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe",
            "tiff_pipe");

    /** Only local files: no network, no {@code concat:}, {@code subfile:} or {@code data:} tricks. */
    public static final String PROTOCOLS = "file";

    private static final String INSTALL_HINT = "install it with 'apt-get install ffmpeg' (Debian/Ubuntu), "
            + "'brew install ffmpeg' (macOS), or set studio.ffmpeg.path / STUDIO_FFMPEG_PATH";

    /** A probe reads headers only; a file that keeps ffprobe busy longer is not worth accepting. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(60);

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Duration timeLimit;
    private final Prober prober;

    private FFmpegTools(Path ffmpeg, Path ffprobe, Duration timeLimit) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.timeLimit = timeLimit;
        this.prober = new Prober(ffprobe, timeLimit.compareTo(PROBE_LIMIT) < 0 ? timeLimit : PROBE_LIMIT);
    }

    /**
     * Finds ffmpeg and ffprobe: the configured paths first, then {@code PATH}. Throws an
     * {@code UNAVAILABLE} error naming what to install when either is missing.
     */
    public static FFmpegTools locate(StudioConfig config) {
        Path ffmpeg = find("ffmpeg", config.ffmpegPath());
        Path ffprobe = find("ffprobe", config.ffprobePath());
        return new FFmpegTools(ffmpeg, ffprobe, config.ffmpegTimeout());
    }

    private static Path find(String name, Path configured) {
        if (configured != null) {
            if (Files.isExecutable(configured)) {
                return configured;
            }
            throw missing(name, "configured path " + configured + " is not an executable file");
        }
        return onPath(name).orElseThrow(() -> missing(name, "not found on PATH"));
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static StudioException missing(String name, String why) {
        return new StudioException(Problem.UNAVAILABLE, ErrorCode.FFMPEG_MISSING,
                name + " is required but " + why + ": " + INSTALL_HINT);
    }

    public Path ffmpegBinary() {
        return ffmpeg;
    }

    public Path ffprobeBinary() {
        return ffprobe;
    }

    /** The time limit of one run on user media. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * A restricted input for a user media file. {@code demuxer}, when known from the probe at
     * upload, pins the demuxer so a later run cannot be talked into another one.
     */
    public UrlInput input(Path file, String demuxer) {
        UrlInput input = UrlInput.fromPath(file.toAbsolutePath())
                .addArguments("-protocol_whitelist", PROTOCOLS)
                .addArguments("-format_whitelist", String.join(",", DEMUXERS));
        if (demuxer != null && !demuxer.isBlank()) {
            input.setFormat(firstName(demuxer));
        }
        return input;
    }

    /**
     * Media facts of a user file, read by ffprobe under the same restrictions as {@link #input}.
     * Anything that is not a single audio, video or still-image file (empty, text, truncated,
     * playlists and other indirections) is a 415 {@code unsupported_media} error.
     */
    public MediaInfo probe(Path file) {
        return prober.probe(file);
    }

    /** True when one of the names in FFmpeg's comma-joined demuxer name is on {@link #DEMUXERS} (as FFmpeg matches). */
    public static boolean isAllowedDemuxer(String formatName) {
        if (formatName == null || formatName.isBlank()) {
            return false;
        }
        for (String part : formatName.split(",")) {
            if (DEMUXERS.contains(part.strip())) {
                return true;
            }
        }
        return false;
    }

    /** The first of FFmpeg's comma-joined demuxer names ({@code mov,mp4,...} gives {@code mov}). */
    public static String firstName(String formatName) {
        int comma = formatName.indexOf(',');
        return comma < 0 ? formatName : formatName.substring(0, comma);
    }

    /** A new ffmpeg command line: quiet, never reading stdin, overwriting its outputs. */
    public FFmpeg command() {
        return new FileCommand(ffmpeg)
                .addArgument("-nostdin")
                .addArgument("-hide_banner")
                .setLogLevel(LogLevel.ERROR)
                .setOverwriteOutput(true);
    }

    /**
     * Runs a command built from {@link #command()} within the time limit, reporting progress in
     * 0..1 against {@code expectedSeconds} of output, and stopping when {@code cancelled} turns
     * true. Failures become a {@code StudioException} carrying the last lines FFmpeg printed.
     */
    public void run(FFmpeg command, double expectedSeconds, DoubleConsumer progress, BooleanSupplier cancelled) {
        if (command instanceof FileCommand files && files.filesOnly()) {
            runProcess(files, expectedSeconds, progress, cancelled);
            return;
        }
        // streams through a socket or pipe: Jaffree's runner provides it
        Tail said = new Tail();
        command.setOutputListener(said::accept);
        if (progress != null && expectedSeconds > 0) {
            command.setProgressListener(p -> {
                Long ms = p.getTimeMillis();
                if (ms != null) {
                    progress.accept(fraction(ms / 1000.0, expectedSeconds));
                }
            });
        }
        FFmpegResultFuture future = command.executeAsync();
        long deadline = System.nanoTime() + timeLimit.toNanos();
        try {
            while (true) {
                try {
                    future.get(200, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    stopIfDue(deadline, cancelled, future::forceStop);
                }
            }
        } catch (InterruptedException e) {
            future.forceStop();
            throw interrupted(e);
        } catch (ExecutionException e) {
            throw failed(said, "", e.getCause());
        }
    }

    /** {@link #run} for a command of files only: ffmpeg as a plain process, progress read from its stdout. */
    private void runProcess(FileCommand command, double expectedSeconds, DoubleConsumer progress,
                            BooleanSupplier cancelled) {
        List<String> line = new ArrayList<>(List.of(ffmpeg.toString(), "-progress", "pipe:1", "-nostats"));
        line.addAll(command.arguments());
        Process process;
        try {
            process = new ProcessBuilder(line).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new StudioException(Problem.UNAVAILABLE, ErrorCode.FFMPEG_MISSING, "cannot start ffmpeg: " + e.getMessage(),
                    List.of(), e);
        }
        Thread progressReader = Thread.ofVirtual().start(() -> readLines(process.getInputStream(), text -> {
            // ffmpeg 5 reports out_time_us (and, wrongly named, out_time_ms) in microseconds
            if (progress != null && expectedSeconds > 0 && text.startsWith("out_time_us=")) {
                try {
                    long us = Long.parseLong(text.substring("out_time_us=".length()).strip());
                    progress.accept(fraction(us / 1e6, expectedSeconds));
                } catch (NumberFormatException ignored) {
                    // "N/A" before the first frame
                }
            }
        }));
        Tail said = new Tail();
        Thread errorReader = Thread.ofVirtual().start(() -> readLines(process.getErrorStream(), said));
        long deadline = System.nanoTime() + timeLimit.toNanos();
        try {
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                stopIfDue(deadline, cancelled, () -> stop(process));
            }
            progressReader.join();
            errorReader.join();
        } catch (InterruptedException e) {
            stop(process);
            throw interrupted(e);
        }
        if (process.exitValue() != 0) {
            throw failed(said, " with exit code " + process.exitValue(), null);
        }
        // ffmpeg 5 exits 0 when it could not finish writing an output (a disk that filled while it
        // wrote the trailer; a tee output that failed): the file is cut off, so the run failed
        String text = said.text();
        if (text.contains("Error writing trailer") || text.contains("No space left on device")) {
            throw failed(said, "", null);
        }
    }

    /** Ends the run through {@code stop} and throws when it is cancelled or over the time limit. */
    private void stopIfDue(long deadline, BooleanSupplier cancelled, Runnable stop) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            stop.run();
            throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the work was cancelled");
        }
        if (System.nanoTime() > deadline) {
            stop.run();
            throw new StudioException(Problem.UNAVAILABLE, "ffmpeg_timeout",
                    "ffmpeg ran longer than the limit of " + timeLimit.toSeconds() + " s");
        }
    }

    private static StudioException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the work was interrupted", List.of(), e);
    }

    /** ffmpeg's own words when it printed any, else {@code otherwise}. */
    private static StudioException failed(Tail said, String otherwise, Throwable cause) {
        String text = said.text();
        if (text.contains("No space left on device") || StudioException.isNoSpace(cause)) {
            return new StudioException(Problem.INSUFFICIENT_STORAGE, "insufficient_storage",
                    "the server's disk is full: ffmpeg could not write its output", List.of(), cause);
        }
        return new StudioException(Problem.INTERNAL, "ffmpeg_failed",
                "ffmpeg failed" + (text.isBlank() ? otherwise : ": " + text), List.of(), cause);
    }

    private static double fraction(double seconds, double expectedSeconds) {
        return Math.clamp(seconds / expectedSeconds, 0.0, 1.0);
    }

    /** The last 20 lines ffmpeg printed, for error messages. */
    private static final class Tail implements Consumer<String> {
        private final Deque<String> lines = new ArrayDeque<>();

        @Override
        public synchronized void accept(String line) {
            if (lines.size() == 20) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }

    private static void stop(Process process) {
        process.destroy(); // ffmpeg ends its outputs on SIGTERM; a stuck one is killed
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void readLines(InputStream in, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                sink.accept(text);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
