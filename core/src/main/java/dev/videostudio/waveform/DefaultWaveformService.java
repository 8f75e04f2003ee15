package dev.videostudio.waveform;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.WaveformStatus;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobContext;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobStatus;
import dev.videostudio.job.JobType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waveforms as {@code asset_waveform} jobs whose results are two files under {@code media/waveforms/}. */
final class DefaultWaveformService implements WaveformService {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultWaveformService.class);
    private static final String ASSET_ID = "asset_id";

    private final MediaRoot root;
    private final AssetStore assets;
    private final JobScheduler jobs;
    private final WaveformDecoder decoder;

    DefaultWaveformService(MediaRoot root, AssetStore assets, JobScheduler jobs, FFmpegTools ffmpeg) {
        this.root = root;
        this.assets = assets;
        this.jobs = jobs;
        this.decoder = new WaveformDecoder(ffmpeg, Runtime.getRuntime().availableProcessors());
        jobs.register(JobType.ASSET_WAVEFORM, this::compute);
    }

    private static String key(String assetId) {
        return "waveform:" + assetId;
    }

    private Path json(String assetId) {
        return root.waveforms().resolve(assetId + ".json");
    }

    private Path dat(String assetId) {
        return root.waveforms().resolve(assetId + ".dat");
    }

    @Override
    public WaveformStatus status(String assetId) {
        if (!MediaRoot.isValidId(assetId)) {
            return WaveformStatus.UNAVAILABLE;
        }
        Optional<Asset> asset = assets.find(assetId);
        if (asset.isEmpty() || !asset.get().hasAudio()) {
            return WaveformStatus.UNAVAILABLE;
        }
        if (Files.exists(json(assetId))) {
            return WaveformStatus.READY;
        }
        if (jobs.active(key(assetId)).isPresent()) {
            return WaveformStatus.PROCESSING;
        }
        return jobs.latest(key(assetId)).filter(j -> j.status() == JobStatus.FAILED).isPresent() ? WaveformStatus.FAILED : WaveformStatus.IDLE;
    }

    @Override
    public WaveformState request(String assetId) {
        return get(assetId, false);
    }

    @Override
    public WaveformState retry(String assetId) {
        return get(assetId, true);
    }

    private WaveformState get(String assetId, boolean retry) {
        Asset asset = audioAsset(assetId);
        String key = key(assetId);
        // order matters: a job finishing between two checks must not make a second job
        if (Files.exists(json(assetId))) {
            return ready(assetId);
        }
        Optional<Job> active = jobs.active(key);
        if (active.isPresent()) {
            return processing(assetId, active.get());
        }
        if (!retry) {
            Optional<Job> failed = jobs.latest(key).filter(j -> j.status() == JobStatus.FAILED);
            if (failed.isPresent() && !Files.exists(json(assetId))) {
                return new WaveformState(assetId, WaveformStatus.FAILED, failed.get().jobId(), null, failed.get().error());
            }
        }
        if (Files.exists(json(assetId))) {
            return ready(assetId);
        }
        Job job = jobs.submit(JobType.ASSET_WAVEFORM, key, Map.of(ASSET_ID, asset.assetId(), Job.TENANT, asset.tenant()));
        return processing(assetId, job);
    }

    private Asset audioAsset(String assetId) {
        MediaRoot.requireValidId(assetId, "asset");
        Asset asset = assets.find(assetId).orElseThrow(() -> StudioException.notFound("asset", assetId));
        if (!asset.hasAudio()) {
            throw new StudioException(Problem.INVALID, ErrorCode.NO_AUDIO, "asset '" + assetId + "' has no audio stream");
        }
        return asset;
    }

    private static WaveformState ready(String assetId) {
        return new WaveformState(assetId, WaveformStatus.READY, null, 1.0, null);
    }

    private static WaveformState processing(String assetId, Job job) {
        return new WaveformState(assetId, WaveformStatus.PROCESSING, job.jobId(), job.progress(), null);
    }

    @Override
    public Optional<Path> storedJson(String assetId) {
        MediaRoot.requireValidId(assetId, "asset");
        Path p = json(assetId);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Waveform read(String assetId, WaveformQuery query) {
        Path file = storedJson(assetId).orElseThrow(() -> new StudioException(Problem.NOT_FOUND, ErrorCode.NOT_READY,
                "the waveform of asset '" + assetId + "' is not ready"));
        try {
            // both reduce while reading: memory follows the size of the answer, not of the file
            Waveform merged = WaveformFiles.readJsonLevel(file, query);
            return query.split() ? WaveformFiles.readDatLevel(dat(assetId), query, merged.bands()) : merged;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
    }

    @Override
    public void delete(String assetId) {
        if (MediaRoot.isValidId(assetId)) {
            MediaRoot.deleteQuietly(json(assetId));
            MediaRoot.deleteQuietly(dat(assetId));
        }
    }

    /** The job: decode, then write the {@code .dat} and last the JSON, whose presence means ready. */
    private void compute(JobContext ctx) {
        String assetId = MediaRoot.requireValidId(ctx.payload().get(ASSET_ID), "asset");
        Asset asset = assets.find(assetId).orElseThrow(() -> StudioException.notFound("asset", assetId));
        if (!asset.hasAudio()) {
            throw new StudioException(Problem.INVALID, ErrorCode.NO_AUDIO, "asset '" + assetId + "' has no audio stream");
        }
        long t0 = System.nanoTime();
        // pixels spill to media/tmp while decoding: the job's memory does not grow with the duration
        try (WaveformDecoder.Decoded d = decoder.decode(assets.file(asset), asset.demuxer(), asset.durationS(),
                asset.sampleRate(), BASE_SAMPLES_PER_PIXEL, ctx::progress, ctx::isCancelled, root.temp())) {
            if (ctx.isCancelled()) {
                throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the waveform job was cancelled");
            }
            MediaRoot.writeAtomically(dat(assetId), out -> WaveformFiles.writeDat(d, out));
            MediaRoot.writeAtomically(json(assetId), out -> WaveformFiles.writeJson(d, out));
            LOG.debug("waveform of {}: {} pixels, {} channels, {} parts in {} ms", assetId, d.length(), d.channels(),
                    d.parts().size(), (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
