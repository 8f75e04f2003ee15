package dev.videostudio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Every setting of Video Studio, with safe defaults. The Helidon adapter fills it from
 * {@code application.yaml} and environment variables; an embedding program builds it directly.
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
        int cacheEntries) {

    public StudioConfig {
        Objects.requireNonNull(mediaRoot, "mediaRoot");
        Objects.requireNonNull(ffmpegTimeout, "ffmpegTimeout");
        if (uploadLimitBytes <= 0 || maxDurationSeconds <= 0 || maxFramePixels <= 0
                || jobConcurrency <= 0 || jobQueueLength <= 0 || proxyHeight < 16 || cacheEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults: media under {@code media/}, 4 GiB uploads, 4 hours, 8K frames, 2 jobs at once. */
    public static StudioConfig defaults() {
        return new StudioConfig(Path.of("media"), null, null,
                4L * 1024 * 1024 * 1024, 4 * 3600, 7680L * 4320,
                2, 64, Duration.ofHours(1), 360, 10_000);
    }

    public StudioConfig withMediaRoot(Path root) {
        return new StudioConfig(root, ffmpegPath, ffprobePath, uploadLimitBytes, maxDurationSeconds,
                maxFramePixels, jobConcurrency, jobQueueLength, ffmpegTimeout, proxyHeight, cacheEntries);
    }

    public StudioConfig withFfmpeg(Path ffmpeg, Path ffprobe) {
        return new StudioConfig(mediaRoot, ffmpeg, ffprobe, uploadLimitBytes, maxDurationSeconds,
                maxFramePixels, jobConcurrency, jobQueueLength, ffmpegTimeout, proxyHeight, cacheEntries);
    }

    public StudioConfig withUploadLimitBytes(long limit) {
        return new StudioConfig(mediaRoot, ffmpegPath, ffprobePath, limit, maxDurationSeconds,
                maxFramePixels, jobConcurrency, jobQueueLength, ffmpegTimeout, proxyHeight, cacheEntries);
    }

    public StudioConfig withJobs(int concurrency, int queueLength) {
        return new StudioConfig(mediaRoot, ffmpegPath, ffprobePath, uploadLimitBytes, maxDurationSeconds,
                maxFramePixels, concurrency, queueLength, ffmpegTimeout, proxyHeight, cacheEntries);
    }

    public StudioConfig withMediaLimits(double maxDuration, long maxPixels, Duration timeout) {
        return new StudioConfig(mediaRoot, ffmpegPath, ffprobePath, uploadLimitBytes, maxDuration,
                maxPixels, jobConcurrency, jobQueueLength, timeout, proxyHeight, cacheEntries);
    }

    public StudioConfig withProxy(int height, int entries) {
        return new StudioConfig(mediaRoot, ffmpegPath, ffprobePath, uploadLimitBytes, maxDurationSeconds,
                maxFramePixels, jobConcurrency, jobQueueLength, ffmpegTimeout, height, entries);
    }
}
