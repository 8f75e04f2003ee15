package dev.videostudio;

import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetMetadata;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.proxy.ProxyService;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.TimelineStore;
import dev.videostudio.waveform.WaveformService;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one object an application embeds: assets, waveforms, timelines, proxy previews and the
 * jobs behind them, over one media root.
 *
 * <pre>{@code
 * try (VideoStudio studio = VideoStudio.builder().mediaRoot(Path.of("media")).build()) {
 *     Asset a = studio.assets().ingest(VideoStudio.DEFAULT_TENANT, "clip.mp4", in);
 * }
 * }</pre>
 *
 * <p>The state holders are pluggable: {@link Builder#assetStore}, {@link Builder#assetMetadata},
 * {@link Builder#timelineStore} and {@link Builder#jobScheduler} each default to the file
 * implementation under the media root; the services (waveforms, proxies, {@link StudioRules})
 * are wired around whatever the builder was given.
 */
public final class VideoStudio implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VideoStudio.class);

    /** The tenant of everything when an application has only one (the command line, embedding). */
    public static final String DEFAULT_TENANT = "default";

    /**
     * What a store or scheduler factory may use.
     *
     * @param config    the settings
     * @param mediaRoot the folder layout (media files always live there, whatever holds the records)
     * @param assets    the studio's assets of every tenant, live (usable once the studio is built;
     *                  a timeline store validates clips against it)
     */
    public record Parts(StudioConfig config, MediaRoot mediaRoot, AssetLookup assets) {
    }

    private final StudioConfig config;
    private final MediaRoot mediaRoot;
    private final FFmpegTools ffmpeg;
    private final JobScheduler jobs;
    private final boolean ownsJobs;
    private final AssetStore assets;
    private final WaveformService waveforms;
    private final TimelineStore timelines;
    private final ProxyService proxies;
    private final StudioRules rules;

    private VideoStudio(Builder b) {
        this.config = b.config;
        this.mediaRoot = new MediaRoot(config.mediaRoot());
        mediaRoot.prepare();
        this.ffmpeg = FFmpegTools.locate(config);
        Parts parts = new Parts(config, mediaRoot, new LiveAssets());
        this.ownsJobs = b.jobs == null;
        this.jobs = ownsJobs ? JobScheduler.local(mediaRoot, config) : b.jobs.apply(parts);
        this.assets = b.assets != null ? b.assets.apply(parts)
                : AssetStore.withMetadata(b.metadata != null ? b.metadata : AssetMetadata.onDisk(mediaRoot),
                        mediaRoot, ffmpeg, config);
        this.waveforms = WaveformService.create(mediaRoot, assets, jobs, ffmpeg, config.waveformRecheck());
        this.timelines = b.timelines != null ? b.timelines.apply(parts)
                : TimelineStore.onDisk(mediaRoot, AssetLookup.of(assets));
        this.proxies = ProxyService.create(mediaRoot, ffmpeg, config, assets, timelines, jobs);
        this.rules = new StudioRules(assets, timelines, waveforms, proxies);
        jobs.start();
    }

    /**
     * The start-up recovery, an explicit step the server runs once before serving (never a
     * constructor, never a command-line tool): removes temporary files and scratch folders a
     * crash left behind, uploads no record names, and old cached segments; then re-runs the jobs a
     * crash or restart interrupted. It never removes a file another live process is still writing
     * (writers hold an OS lock on it; see {@link MediaRoot#removeLeftovers()}), so it is safe while
     * other processes (a command-line render, another server with shared stores) use the media
     * root. With the default job scheduler only one process may run the jobs of a media root.
     */
    public void recover() {
        int leftovers = mediaRoot.removeLeftovers();
        int orphans = assets.recover();
        proxies.recover();
        jobs.recover();
        LOG.info("recovery of {}: {} temporary leftovers and {} orphan uploads removed", mediaRoot.root(), leftovers, orphans);
    }

    /** The asset store, looked up when used: factories get it before it exists. */
    private final class LiveAssets implements AssetLookup {
        @Override
        public Optional<Asset> find(String assetId) {
            return store().find(assetId);
        }

        @Override
        public List<Asset> list() {
            return store().list(null);
        }

        private AssetStore store() {
            if (assets == null) {
                throw new IllegalStateException("the asset store is not built yet");
            }
            return assets;
        }
    }

    /** See {@link StudioRules#deleteAsset}. */
    public boolean deleteAsset(String assetId) {
        return rules.deleteAsset(assetId);
    }

    /** See {@link StudioRules#deleteTimeline}. */
    public boolean deleteTimeline(String timelineId) {
        return rules.deleteTimeline(timelineId);
    }

    public static Builder builder() {
        return new Builder();
    }

    public StudioConfig config() {
        return config;
    }

    public MediaRoot mediaRoot() {
        return mediaRoot;
    }

    public FFmpegTools ffmpeg() {
        return ffmpeg;
    }

    public JobScheduler jobs() {
        return jobs;
    }

    public AssetStore assets() {
        return assets;
    }

    public WaveformService waveforms() {
        return waveforms;
    }

    public TimelineStore timelines() {
        return timelines;
    }

    public ProxyService proxies() {
        return proxies;
    }

    /** The rules that span stores (deleting assets and timelines). */
    public StudioRules rules() {
        return rules;
    }

    /**
     * Stops what the builder created (the default job scheduler, the renderer's threads); queued
     * work resumes at the next start. A store or scheduler the application passed in, directly or
     * through a factory, is the application's to close.
     */
    @Override
    public void close() {
        if (ownsJobs) {
            jobs.close();
        }
        proxies.close();
    }

    /** Assembles a {@link VideoStudio}; every setting has a safe default. */
    public static final class Builder {
        private StudioConfig config = StudioConfig.defaults();
        private Function<Parts, JobScheduler> jobs;
        private Function<Parts, AssetStore> assets;
        private Function<Parts, TimelineStore> timelines;
        private AssetMetadata metadata;

        private Builder() {
        }

        public Builder config(StudioConfig config) {
            this.config = config;
            return this;
        }

        public Builder mediaRoot(Path root) {
            this.config = config.withMediaRoot(root);
            return this;
        }

        /**
         * Runs jobs on another scheduler (for example a distributed job engine). The studio
         * registers its job handlers on it and starts it, but never closes it.
         */
        public Builder jobScheduler(JobScheduler scheduler) {
            return jobScheduler(parts -> scheduler);
        }

        /** Like {@link #jobScheduler(JobScheduler)}, made from the studio's parts. */
        public Builder jobScheduler(Function<Parts, JobScheduler> factory) {
            this.jobs = factory;
            return this;
        }

        /** Uses a complete asset store of the application's. */
        public Builder assetStore(AssetStore store) {
            return assetStore(parts -> store);
        }

        /** Like {@link #assetStore(AssetStore)}, made from the studio's parts. */
        public Builder assetStore(Function<Parts, AssetStore> factory) {
            this.assets = factory;
            this.metadata = null;
            return this;
        }

        /**
         * Keeps asset records in {@code metadata} (for example a database table) while media
         * files, probing and limits stay the core's ({@link AssetStore#withMetadata}).
         */
        public Builder assetMetadata(AssetMetadata metadata) {
            this.metadata = metadata;
            this.assets = null;
            return this;
        }

        /** Uses a timeline store of the application's (it validates clips with its own asset lookup). */
        public Builder timelineStore(TimelineStore store) {
            return timelineStore(parts -> store);
        }

        /** Like {@link #timelineStore(TimelineStore)}, made from the studio's parts ({@link Parts#assets()} to validate clips). */
        public Builder timelineStore(Function<Parts, TimelineStore> factory) {
            this.timelines = factory;
            return this;
        }

        /**
         * Builds the studio: creates the media folders, finds FFmpeg, starts running jobs. Removes
         * and re-runs nothing: that is {@link VideoStudio#recover()}.
         */
        public VideoStudio build() {
            return new VideoStudio(this);
        }
    }
}
