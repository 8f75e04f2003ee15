package dev.videostudio;

import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.proxy.ProxyService;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.TimelineStore;
import dev.videostudio.waveform.WaveformService;

/**
 * The one object an application embeds: assets, waveforms, timelines, proxy previews and the
 * jobs behind them, over one media root.
 *
 * <pre>{@code
 * try (VideoStudio studio = VideoStudio.builder().mediaRoot(Path.of("media")).build()) {
 *     Asset a = studio.assets().ingest("clip.mp4", in);
 * }
 * }</pre>
 */
public final class VideoStudio implements AutoCloseable {

    private final StudioConfig config;
    private final MediaRoot mediaRoot;
    private final FFmpegTools ffmpeg;
    private final JobScheduler jobs;
    private final AssetStore assets;
    private final WaveformService waveforms;
    private final TimelineStore timelines;
    private final ProxyService proxies;

    private VideoStudio(Builder b) {
        this.config = b.config;
        this.mediaRoot = new MediaRoot(config.mediaRoot());
        mediaRoot.prepare();
        this.ffmpeg = FFmpegTools.locate(config);
        this.jobs = b.jobs != null ? b.jobs : JobScheduler.local(mediaRoot, config);
        this.assets = AssetStore.onDisk(mediaRoot, ffmpeg, config);
        this.waveforms = WaveformService.create(mediaRoot, assets, jobs, ffmpeg);
        this.timelines = TimelineStore.onDisk(mediaRoot, AssetLookup.of(assets));
        this.proxies = ProxyService.create(mediaRoot, ffmpeg, config, assets, timelines, jobs);
        jobs.start();
    }

    /**
     * Deletes an asset with its waveform files. Refused with a {@code CONFLICT} error while a saved
     * timeline uses it; saves wait meanwhile, so none can start using it half way.
     *
     * @return false when the asset did not exist
     */
    public boolean deleteAsset(String assetId) {
        boolean[] deleted = {false};
        if (!timelines.runIfUnused(assetId, () -> deleted[0] = assets.delete(assetId))) {
            throw new StudioException(StudioException.Problem.CONFLICT, "asset_in_use",
                    "asset '" + assetId + "' is used by a saved timeline; remove it from the timeline first");
        }
        if (deleted[0]) {
            waveforms.delete(assetId);
        }
        return deleted[0];
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

    /** Stops the job scheduler; queued work resumes at the next start. */
    @Override
    public void close() {
        jobs.close();
    }

    /** Assembles a {@link VideoStudio}; every setting has a safe default. */
    public static final class Builder {
        private StudioConfig config = StudioConfig.defaults();
        private JobScheduler jobs;

        private Builder() {
        }

        public Builder config(StudioConfig config) {
            this.config = config;
            return this;
        }

        public Builder mediaRoot(java.nio.file.Path root) {
            this.config = config.withMediaRoot(root);
            return this;
        }

        /** Runs jobs on another scheduler (for example a distributed job engine). */
        public Builder jobScheduler(JobScheduler scheduler) {
            this.jobs = scheduler;
            return this;
        }

        /** Starts the studio: prepares the media root, finds FFmpeg, resumes pending jobs. */
        public VideoStudio build() {
            return new VideoStudio(this);
        }
    }
}
