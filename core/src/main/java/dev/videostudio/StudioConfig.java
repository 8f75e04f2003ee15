package dev.videostudio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of Video Studio, with safe defaults. The Helidon adapter fills it from
 * {@code application.yaml} and environment variables; an embedding program uses {@link #builder()}.
 *
 * @param mediaRoot          folder holding every file the studio writes
 * @param ffmpegPath         ffmpeg binary, or {@code null} to look it up on {@code PATH}
 * @param ffprobePath        ffprobe binary, or {@code null} to look it up on {@code PATH}
 * @param uploadLimitBytes   largest accepted upload
 * @param maxDurationSeconds longest accepted media duration
 * @param maxFramePixels     largest accepted video frame (width times height)
 * @param jobConcurrency     background jobs running at once
 * @param jobQueueLength     jobs waiting at most; more are refused with "busy"
 * @param ffmpegTimeout      time limit of one ffmpeg run on user media
 * @param proxyHeight        height in lines of proxy previews
 * @param cacheEntries       proxy cache entries kept in memory
 * @param waveformRecheck    how long a waveform known ready is served without reading its asset's
 *                           record again: the longest a deletion made by another process goes unseen
 */
public record StudioConfig(
        Path mediaRoot,
        Path ffmpegPath,
        Path ffprobePath,
        long uploadLimitBytes,
        double maxDurationSeconds,
        long maxFramePixels,
        int jobConcurrency,
        int jobQueueLength,
        Duration ffmpegTimeout,
        int proxyHeight,
        int cacheEntries,
        Duration waveformRecheck) {

    public StudioConfig {
        Objects.requireNonNull(mediaRoot, "mediaRoot");
        Objects.requireNonNull(ffmpegTimeout, "ffmpegTimeout");
        Objects.requireNonNull(waveformRecheck, "waveformRecheck");
        if (waveformRecheck.isNegative()) {
            throw new IllegalArgumentException("waveformRecheck must not be negative: " + waveformRecheck);
        }
        if (uploadLimitBytes <= 0 || maxDurationSeconds <= 0 || maxFramePixels <= 0
                || jobConcurrency <= 0 || jobQueueLength <= 0 || proxyHeight < 16 || cacheEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults: media under {@code media/}, 4 GiB uploads, 4 hours, 8K frames, 2 jobs at once. */
    public static StudioConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().mediaRoot(mediaRoot).ffmpegPath(ffmpegPath).ffprobePath(ffprobePath)
                .uploadLimitBytes(uploadLimitBytes).maxDurationSeconds(maxDurationSeconds).maxFramePixels(maxFramePixels)
                .jobConcurrency(jobConcurrency).jobQueueLength(jobQueueLength).ffmpegTimeout(ffmpegTimeout)
                .proxyHeight(proxyHeight).cacheEntries(cacheEntries).waveformRecheck(waveformRecheck);
    }

    /** This configuration over another media root (the one setting nearly every caller changes). */
    public StudioConfig withMediaRoot(Path root) {
        return toBuilder().mediaRoot(root).build();
    }

    /** Assembles a {@link StudioConfig}; unset settings keep their defaults. */
    public static final class Builder {
        private Path mediaRoot = Path.of("media");
        private Path ffmpegPath;
        private Path ffprobePath;
        private long uploadLimitBytes = 4L * 1024 * 1024 * 1024;
        private double maxDurationSeconds = 4 * 3600;
        private long maxFramePixels = 7680L * 4320;
        private int jobConcurrency = 2;
        private int jobQueueLength = 64;
        private Duration ffmpegTimeout = Duration.ofHours(1);
        private int proxyHeight = 360;
        private int cacheEntries = 10_000;
        private Duration waveformRecheck = Duration.ofSeconds(2);

        private Builder() {
        }

        public Builder mediaRoot(Path root) {
            this.mediaRoot = root;
            return this;
        }

        /** The ffmpeg binary, or null to look it up on {@code PATH}. */
        public Builder ffmpegPath(Path path) {
            this.ffmpegPath = path;
            return this;
        }

        /** The ffprobe binary, or null to look it up on {@code PATH}. */
        public Builder ffprobePath(Path path) {
            this.ffprobePath = path;
            return this;
        }

        public Builder uploadLimitBytes(long limit) {
            this.uploadLimitBytes = limit;
            return this;
        }

        public Builder maxDurationSeconds(double seconds) {
            this.maxDurationSeconds = seconds;
            return this;
        }

        public Builder maxFramePixels(long pixels) {
            this.maxFramePixels = pixels;
            return this;
        }

        public Builder jobConcurrency(int concurrency) {
            this.jobConcurrency = concurrency;
            return this;
        }

        public Builder jobQueueLength(int length) {
            this.jobQueueLength = length;
            return this;
        }

        public Builder ffmpegTimeout(Duration timeout) {
            this.ffmpegTimeout = timeout;
            return this;
        }

        public Builder proxyHeight(int height) {
            this.proxyHeight = height;
            return this;
        }

        public Builder cacheEntries(int entries) {
            this.cacheEntries = entries;
            return this;
        }

        /** At most this long a deleted asset's ready waveform may still be served by another process (0: read every time). */
        public Builder waveformRecheck(Duration recheck) {
            this.waveformRecheck = recheck;
            return this;
        }

        /** @throws IllegalArgumentException when a limit is not positive (or the proxy is under 16 lines) */
        public StudioConfig build() {
            return new StudioConfig(mediaRoot, ffmpegPath, ffprobePath, uploadLimitBytes, maxDurationSeconds,
                    maxFramePixels, jobConcurrency, jobQueueLength, ffmpegTimeout, proxyHeight, cacheEntries,
                    waveformRecheck);
        }
    }
}
