package dev.videostudio.asset;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * An uploaded media file and what ffprobe found in it. Serialised as the asset of the HTTP
 * contract; {@code waveformStatus} keeps the camelCase name the studio page already uses.
 *
 * @param url            where the file is served: null from the core, filled in by the adapter that
 *                       serves it (from {@code storedName})
 * @param waveformStatus idle, processing, ready, failed or unavailable (as of when the record was made;
 *                       {@link dev.videostudio.waveform.WaveformService#status} says it now)
 * @param storedName     file name under {@code media/video_assets/}
 * @param demuxer        the FFmpeg demuxer that read it at upload, pinned for every later run
 * @param tenant         who owns it ({@link dev.videostudio.VideoStudio#DEFAULT_TENANT} when not given)
 */
public record Asset(
        String assetId,
        String filename,
        AssetKind kind,
        String contentType,
        long sizeBytes,
        Double durationS,
        boolean hasAudio,
        boolean hasVideo,
        Integer width,
        Integer height,
        Double fps,
        Integer sampleRate,
        Integer channels,
        String url,
        @JsonProperty("waveformStatus") WaveformStatus waveformStatus,
        Instant createdAt,
        String storedName,
        String demuxer,
        String tenant) {

    public Asset {
        tenant = tenant == null ? dev.videostudio.VideoStudio.DEFAULT_TENANT : tenant;
    }

    public Asset withWaveformStatus(WaveformStatus status) {
        return new Asset(assetId, filename, kind, contentType, sizeBytes, durationS, hasAudio, hasVideo,
                width, height, fps, sampleRate, channels, url, status, createdAt, storedName, demuxer, tenant);
    }

    /** This asset with another URL (the adapter that serves the file sets it). */
    public Asset withUrl(String newUrl) {
        return new Asset(assetId, filename, kind, contentType, sizeBytes, durationS, hasAudio, hasVideo,
                width, height, fps, sampleRate, channels, newUrl, waveformStatus, createdAt, storedName, demuxer, tenant);
    }
}
