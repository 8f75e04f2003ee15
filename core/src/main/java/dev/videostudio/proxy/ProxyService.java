package dev.videostudio.proxy;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.timeline.TimelineStore;
import java.nio.file.Path;

/**
 * Proxy previews of saved timelines: answered from a cache when the exact content was rendered
 * before (no job), otherwise rendered by one background {@code video_proxy} job per timeline
 * content, served from {@code media/video_proxies/{timeline_id}.webm}. Also makes each uploaded
 * video's edit proxy in the background, and poster and animated previews on request.
 */
public interface ProxyService {

    /**
     * The default service. Registers the {@code video_proxy} and {@code edit_proxy} job handlers
     * on {@code jobs} (call before {@link JobScheduler#start()}) and starts an edit proxy job for
     * every video asset ingested from now on.
     */
    static ProxyService create(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config, AssetStore assets,
                               TimelineStore timelines, JobScheduler jobs) {
        return new CachingProxyService(root, ffmpeg, config, assets, timelines, jobs,
                ProxyRenderer.segmented(root, ffmpeg, config, assets));
    }

    /**
     * Asks for the proxy of a timeline's current content. When it is ready (and {@code force} is
     * false) the answer is {@code ready} with {@code cached = true} and no job is created; else
     * one job renders it (a request for content already rendering joins that job, a request for
     * newer content cancels the outdated render) and the answer is {@code processing}.
     *
     * @param force render again even when a proxy of this content exists, ignoring cached segments
     * @throws dev.videostudio.StudioException 404 for an unknown timeline, 429 when the job queue is full
     */
    default ProxyState request(String timelineId, boolean force) {
        return request(timelineId, force, null);
    }

    /**
     * As {@link #request(String, boolean)}; while the render runs, {@code from} (seconds, may be
     * null) moves the part of the timeline from there to the front of the render, and the answer's
     * {@code stream_url} is then a playlist that plays that moment (see {@link ProxyState#streamUrl()}).
     */
    default ProxyState request(String timelineId, boolean force, Double from) {
        return request(timelineId, force, from, java.time.Duration.ZERO);
    }

    /**
     * As {@link #request(String, boolean, Double)}, but a render without its stream yet is waited
     * for up to {@code streamWait} until its stream (or, with {@code from}, the seek's) lists a
     * segment, so that a client usually gets {@code stream_url} in this answer instead of polling
     * for it. The wait ends early when the job ends.
     */
    ProxyState request(String timelineId, boolean force, Double from, java.time.Duration streamWait);

    /** The state of a timeline's proxy: processing, ready, failed, stale or none. */
    ProxyState state(String timelineId);

    /**
     * A JPEG poster frame of the timeline's ready proxy, made on first request.
     *
     * @throws dev.videostudio.StudioException 409 {@code proxy_not_ready} when no proxy of the
     *         current content is ready
     */
    Path poster(String timelineId);

    /**
     * A short animated WebP flip-through of the timeline's ready proxy (about 24 frames, 320
     * pixels wide), made on first request.
     *
     * @throws dev.videostudio.StudioException 409 {@code proxy_not_ready} as {@link #poster}
     */
    Path animatedPreview(String timelineId);

    /**
     * Forgets a deleted timeline's proxy: cancels its running render and removes
     * {@code video_proxies/{timeline_id}.webm}, its record and its posters and previews. The
     * content-addressed segment cache stays (another timeline may reuse it).
     */
    void delete(String timelineId);

    /** Prunes caches of old renders; part of the start-up recovery ({@link dev.videostudio.VideoStudio#recover()}). */
    default void recover() {
        renderer().recover();
    }

    /** Stops the renderer's threads. */
    default void close() {
        renderer().close();
    }

    /**
     * The same flip-through as {@link #animatedPreview} as an animated GIF (palette made from its
     * frames), for places that show no WebP; made on first request.
     *
     * @throws dev.videostudio.StudioException 409 {@code proxy_not_ready} as {@link #poster}
     */
    Path animatedGif(String timelineId);

    /** The renderer behind this service (for example to make edit proxies ahead of time). */
    ProxyRenderer renderer();
}
