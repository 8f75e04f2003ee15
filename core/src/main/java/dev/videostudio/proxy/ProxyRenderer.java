package dev.videostudio.proxy;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.timeline.Timeline;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Renders a timeline to a low-resolution WebM (VP9 + Opus, {@link StudioConfig#proxyHeight()} lines,
 * seekable: Cues at the front). The default renderer cuts the timeline into segments at clip
 * boundaries, renders each segment's picture once from the assets' edit proxies and keeps it
 * under {@link MediaRoot#segments()} named by the hash of its content, renders the whole sound in
 * one pass, and joins everything with stream copy: after an edit only the changed segments render.
 */
public interface ProxyRenderer {

    /** The segmented, caching renderer; segments render in parallel on all cores. */
    static ProxyRenderer segmented(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config, AssetStore assets) {
        return new SegmentedRenderer(root, ffmpeg, config, assets);
    }

    /**
     * Renders {@code timeline} to {@code output} (written to a temporary name, then renamed).
     *
     * @param reuseSegments false to render every segment again, ignoring the segment cache
     * @param progress      receives 0..1 as the render advances (may be null)
     * @param cancelled     polled while rendering; when it turns true the render stops with a
     *                      {@code cancelled} error and leaves no output (may be null)
     * @throws dev.videostudio.StudioException {@code invalid_timeline} / {@code empty_timeline} for
     *         content that cannot render, {@code render_failed} naming the clips and what FFmpeg said
     */
    default RenderReport render(Timeline timeline, Path output, boolean reuseSegments,
                                DoubleConsumer progress, BooleanSupplier cancelled) {
        return render(timeline, output, reuseSegments, progress, cancelled, null);
    }

    /**
     * As {@link #render(Timeline, Path, boolean, DoubleConsumer, BooleanSupplier)}, also writing
     * {@code live} (when not null): an HLS stream of the render that grows in playback order
     * from {@link LiveStream#prioritise the moment asked for} and ends when the render does.
     */
    RenderReport render(Timeline timeline, Path output, boolean reuseSegments,
                        DoubleConsumer progress, BooleanSupplier cancelled, LiveStream live);

    /**
     * Makes the edit proxy of a video asset (small, short keyframe interval, H.264) unless it
     * exists, and returns its path; renders decode it instead of the original. Empty for assets
     * without a picture to proxy (audio, images).
     */
    Optional<Path> makeEditProxy(Asset asset, DoubleConsumer progress, BooleanSupplier cancelled);

    /** The edit proxy of an asset if it was made. */
    Optional<Path> editProxy(String assetId);

    /** Prunes the segment cache of pieces unused for long; part of the start-up recovery. */
    default void recover() {
    }

    /** Stops the renderer's threads (renders still running are interrupted). */
    default void close() {
    }
}
