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
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    /**
     * Encoded answers (bytes, tag, gzip once asked for) by asset, query and format: a ready
     * waveform never changes, so each is computed once. Bounded by bytes (the gzip form counted as
     * half the body at most); bigger answers are not kept.
     */
    private final Cache<AnswerKey, WaveformAnswer> answers = Caffeine.newBuilder()
            .maximumWeight(ANSWER_CACHE_BYTES)
            .weigher((AnswerKey k, WaveformAnswer a) -> a.body().length + a.body().length / 2)
            .build();
    /** Tags of the plain answers (the stored JSON wrapped), by asset: hashing 14 MB once is enough. */
    private final Map<String, String> storedTags = new ConcurrentHashMap<>();
    private final Map<String, Object> levelLocks = new ConcurrentHashMap<>();
    private final PreparedAnswers prepared;
    /**
     * Assets whose waveform was seen ready, for {@code recheck} after that: a ready answer then
     * costs no read of the asset's record (a database query in the distributed mode) nor of the
     * file system. Bounded in entries; removed at once when this process deletes the asset.
     */
    private final Cache<String, Asset> readyAssets;

    private static final long ANSWER_CACHE_BYTES = 64L << 20;
    private static final int LARGEST_KEPT_ANSWER = 8 << 20;
    private static final int READY_ASSETS = 100_000;

    private record AnswerKey(String assetId, WaveformQuery query, WaveformFormat format) {
    }

    DefaultWaveformService(MediaRoot root, AssetStore assets, JobScheduler jobs, FFmpegTools ffmpeg, Duration recheck) {
        this.root = root;
        this.prepared = new PreparedAnswers(root.waveforms());
        this.readyAssets = Caffeine.newBuilder().expireAfterWrite(recheck).maximumSize(READY_ASSETS).build();
        this.assets = assets;
        this.jobs = jobs;
        this.decoder = new WaveformDecoder(ffmpeg, Runtime.getRuntime().availableProcessors());
        jobs.register(JobType.ASSET_WAVEFORM, this::compute);
        if (WARMED.compareAndSet(false, true)) {
            // once per process, in the background: see Levels.warmUp
            Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("waveform-warm-up").start(Levels::warmUp);
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private static String key(String assetId) {
        return "waveform:" + assetId;
    }

    private Path json(String assetId) {
        return root.waveforms().resolve(assetId + ".json");
    }

    private Path dat(String assetId) {
        return root.waveforms().resolve(assetId + ".dat");
    }

    private Path levels(String assetId) {
        return root.waveforms().resolve(assetId + ".levels");
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
            readyAssets.put(assetId, asset.get());
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
            readyAssets.put(assetId, asset);
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

    @Override
    public Optional<Asset> readyAsset(String assetId) {
        return Optional.ofNullable(readyAssets.getIfPresent(assetId));
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
            if (!query.split()) {
                // a tile or level is a positional read of the pyramid, written by the job (or once here)
                try (LevelFile.Reader r = new LevelFile.Reader(ensureLevels(assetId, file))) {
                    return Levels.fromPyramid(r, query);
                }
            }
            // reduces while reading: memory follows the size of the answer, not of the file
            Waveform merged = WaveformFiles.readJsonLevel(file, new WaveformQuery(false, query.samplesPerPixel(),
                    query.pixelsPerSecond(), query.bits()));
            Waveform split = WaveformFiles.readDatLevel(dat(assetId), query, merged.bands());
            return Levels.slice(split, Levels.span(query, split.samplesPerPixel(), split.sampleRate(), split.length()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
    }

    private byte[] binaryFromPyramid(String assetId, WaveformQuery query, boolean bands) {
        Path file = storedJson(assetId).orElseThrow(() -> new StudioException(Problem.NOT_FOUND, ErrorCode.NOT_READY,
                "the waveform of asset '" + assetId + "' is not ready"));
        try {
            return binary(assetId, ensureLevels(assetId, file), query, bands);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
    }

    /** The binary answer to {@code query} read from the pyramid {@code levels}. */
    private static byte[] binary(String assetId, Path levels, WaveformQuery query, boolean bands) {
        try (LevelFile.Reader r = new LevelFile.Reader(levels)) {
            return Levels.binaryFromPyramid(r, query, bands);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
    }

    /** The pyramid of a ready waveform; waveforms stored before pyramids existed get theirs now, once. */
    private Path ensureLevels(String assetId, Path json) throws IOException {
        Path levels = levels(assetId);
        if (Files.exists(levels)) {
            return levels;
        }
        synchronized (levelLocks.computeIfAbsent(assetId, k -> new Object())) {
            if (!Files.exists(levels)) {
                Waveform stored = WaveformFiles.readJson(json);
                MediaRoot.writeAtomically(levels, out -> WaveformFiles.writeLevels(stored, out));
            }
        }
        levelLocks.remove(assetId);
        return levels;
    }

    @Override
    public WaveformAnswer answer(String assetId, WaveformQuery query, WaveformFormat format) {
        AnswerKey key = new AnswerKey(assetId, query, format);
        WaveformAnswer kept = answers.getIfPresent(key);
        if (kept != null) {
            return kept;
        }
        WaveformAnswer fresh = encode(assetId, query, format);
        if (fresh.body().length <= LARGEST_KEPT_ANSWER) {
            answers.put(key, fresh);
        }
        return fresh;
    }

    private WaveformAnswer encode(String assetId, WaveformQuery query, WaveformFormat format) {
        Optional<WaveformAnswer> made = prepared.find(assetId, query, format);
        if (made.isPresent()) {
            return made.get();
        }
        if (format != WaveformFormat.JSON && !query.split()) {
            // the page's answers: encoded straight from the pyramid's records, one pass
            byte[] body = binaryFromPyramid(assetId, query, format == WaveformFormat.DAT_BANDS);
            return new WaveformAnswer(body, tag(body), format);
        }
        Waveform w = read(assetId, query);
        try {
            byte[] body;
            if (format == WaveformFormat.JSON) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("asset_id", assetId);
                answer.put("status", "ready");
                if (query.isRange()) {
                    Levels.Span span = Levels.span(query, w.samplesPerPixel(), w.sampleRate(), Integer.MAX_VALUE);
                    answer.put("start_pixel", span.first());
                }
                answer.put("waveform", w);
                body = StudioJson.mapper().writeValueAsBytes(answer);
            } else {
                body = WaveformFiles.binary(w, format == WaveformFormat.DAT_BANDS);
            }
            return new WaveformAnswer(body, tag(body), format);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the waveform of " + assetId, e);
        }
    }

    private static String tag(byte[] body) {
        return "\"" + HexFormat.of().formatHex(sha256().digest(body), 0, 16) + "\"";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] storedHead(String assetId) {
        return ("{\"asset_id\":\"" + assetId + "\",\"status\":\"ready\",\"waveform\":").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void writeStoredAnswer(String assetId, OutputStream out) throws IOException {
        Path file = storedJson(assetId).orElseThrow(() -> new StudioException(Problem.NOT_FOUND, "not_ready",
                "the waveform of asset '" + assetId + "' is not ready"));
        // the stored file goes out as it is, wrapped without parsing it
        out.write(storedHead(assetId));
        Files.copy(file, out);
        out.write('}');
    }

    @Override
    public Optional<WaveformAnswer> storedAnswer(String assetId) {
        Path file = storedJson(assetId).orElseThrow(() -> new StudioException(Problem.NOT_FOUND, "not_ready",
                "the waveform of asset '" + assetId + "' is not ready"));
        AnswerKey key = new AnswerKey(assetId, WaveformQuery.stored(), WaveformFormat.JSON);
        WaveformAnswer kept = answers.getIfPresent(key);
        if (kept != null) {
            return Optional.of(kept);
        }
        try {
            if (Files.size(file) > LARGEST_KEPT_ANSWER) {
                return Optional.empty();
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Files.size(file) + 64);
            writeStoredAnswer(assetId, out);
            byte[] body = out.toByteArray();
            WaveformAnswer fresh = new WaveformAnswer(body, tag(body), WaveformFormat.JSON);
            answers.put(key, fresh);
            return Optional.of(fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
    }

    @Override
    public String storedAnswerTag(String assetId) {
        String tag = storedTags.get(assetId);
        if (tag != null) {
            return tag;
        }
        MessageDigest md = sha256();
        try (OutputStream digest = new java.io.BufferedOutputStream(
                new java.security.DigestOutputStream(OutputStream.nullOutputStream(), md), 1 << 16)) {
            writeStoredAnswer(assetId, digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the waveform of " + assetId, e);
        }
        tag = "\"" + HexFormat.of().formatHex(md.digest(), 0, 16) + "\"";
        storedTags.put(assetId, tag);
        return tag;
    }

    @Override
    public void delete(String assetId) {
        if (MediaRoot.isValidId(assetId)) {
            MediaRoot.deleteQuietly(json(assetId));
            MediaRoot.deleteQuietly(dat(assetId));
            MediaRoot.deleteQuietly(levels(assetId));
            prepared.delete(assetId);
            readyAssets.invalidate(assetId);
            storedTags.remove(assetId);
            answers.asMap().keySet().removeIf(k -> k.assetId().equals(assetId));
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
            MediaRoot.writeAtomically(levels(assetId), out -> WaveformFiles.writeLevels(d, out));
            // before the JSON, whose presence means ready: the first answer of a fine level is then a file read
            prepared.prepare(assetId, q -> binary(assetId, levels(assetId), q, true), DefaultWaveformService::tag);
            MediaRoot.writeAtomically(json(assetId), out -> WaveformFiles.writeJson(d, out));
            LOG.debug("waveform of {}: {} pixels, {} channels, {} parts in {} ms", assetId, d.length(), d.channels(),
                    d.parts().size(), (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
