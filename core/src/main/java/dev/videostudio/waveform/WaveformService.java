package dev.videostudio.waveform;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.asset.WaveformStatus;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.JobScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Audio waveforms of assets, computed by a background job and stored as BBC audiowaveform JSON
 * (version 2) at {@code media/waveforms/{asset_id}.json} (the downmix, with band energies) next
 * to {@code {asset_id}.dat} (per channel) and {@code {asset_id}.levels} (the downmix at a pyramid
 * of levels). Other levels, spans (tiles) and split channels are computed from the stored data on
 * request, and the encoded answers are kept.
 */
public interface WaveformService {

    /** Samples per pixel of the stored level: fine enough for a zoomed-in timeline. */
    int BASE_SAMPLES_PER_PIXEL = 256;

    /** The default service: jobs of type {@code asset_waveform} on {@code jobs}, files under the media root. */
    static WaveformService create(MediaRoot root, AssetStore assets, JobScheduler jobs, FFmpegTools ffmpeg) {
        return create(root, assets, jobs, ffmpeg, StudioConfig.defaults().waveformRecheck());
    }

    /**
     * The default service, remembering waveforms it saw ready for {@code recheck} (see
     * {@link #readyAsset}).
     */
    static WaveformService create(MediaRoot root, AssetStore assets, JobScheduler jobs, FFmpegTools ffmpeg,
                                  Duration recheck) {
        return new DefaultWaveformService(root, assets, jobs, ffmpeg, recheck);
    }

    /**
     * Computes a waveform of any media file without storing it (the command line uses this).
     * Splits the decode into parallel parts when the duration and sample rate are known.
     *
     * @param demuxer    demuxer to pin (from a probe), or null
     * @param durationS  probed duration in seconds, or null
     * @param sampleRate probed sample rate of the first audio stream, or null
     */
    static Computed compute(FFmpegTools ffmpeg, Path file, String demuxer, Double durationS, Integer sampleRate,
                            DoubleConsumer progress, BooleanSupplier cancelled) {
        WaveformDecoder.Decoded d = new WaveformDecoder(ffmpeg, Runtime.getRuntime().availableProcessors())
                .decode(file, demuxer, durationS, sampleRate, BASE_SAMPLES_PER_PIXEL, progress, cancelled);
        Waveform merged = WaveformFiles.merged(d);
        return new Computed(merged, WaveformFiles.split(d, merged.bands()), d.frames());
    }

    /** A computed waveform: the downmix and each channel, at the base level, and the samples read. */
    record Computed(Waveform merged, Waveform split, long samples) {
    }

    /** The {@code waveformStatus} of an asset: idle, processing, ready, failed or unavailable. */
    WaveformStatus status(String assetId);

    /**
     * The waveform of an asset, starting its job when there is none yet (one job per asset,
     * however many callers). Throws 400 for a malformed id, 404 for an unknown asset, 422
     * {@code no_audio} for an asset without audio, 429 when the job queue is full.
     */
    WaveformState request(String assetId);

    /**
     * The asset of a waveform this service found ready at most {@code recheck} ago (by
     * {@link #request} or {@link #status}), read from nothing; empty when it did not, or longer ago
     * (then {@link #request} reads the asset's record and files again). A ready waveform never
     * changes, so only its asset's deletion makes this stale: this process's own deletions
     * ({@link #delete}) end it at once, another process's go unseen at most {@code recheck}.
     */
    Optional<Asset> readyAsset(String assetId);

    /** Like {@link #request} but starts a new job after a failure. */
    WaveformState retry(String assetId);

    /** The stored JSON of a ready waveform (to serve as it is). */
    Optional<Path> storedJson(String assetId);

    /** A ready waveform at the level and channel layout asked for; 404 {@code not_ready} when not ready. */
    Waveform read(String assetId, WaveformQuery query);

    /**
     * A ready waveform answer at the level, span and channel layout asked for, encoded as
     * {@code format}, with its gzip form and entity tag; computed once, then kept (a ready
     * waveform never changes). 404 {@code not_ready} when not ready.
     */
    WaveformAnswer answer(String assetId, WaveformQuery query, WaveformFormat format);

    /** Writes the plain answer, {@code {"asset_id", "status": "ready", "waveform": STORED JSON}}, as it is stored. */
    void writeStoredAnswer(String assetId, java.io.OutputStream out) throws java.io.IOException;

    /**
     * The plain answer ({@link #writeStoredAnswer}'s bytes) kept in memory with its tag and gzip
     * form, or empty when the stored file is too large to keep (several megabytes: stream it).
     */
    Optional<WaveformAnswer> storedAnswer(String assetId);

    /** The entity tag of {@link #writeStoredAnswer}'s bytes (hashed once per asset). */
    String storedAnswerTag(String assetId);

    /** Removes an asset's waveform files (when the asset is deleted). */
    void delete(String assetId);
}
