package dev.videostudio.proxy;

import dev.videostudio.ErrorCode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.StudioJson;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobContext;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobType;
import dev.videostudio.timeline.PreviewStatus;
import dev.videostudio.timeline.ProxyPreview;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineHash;
import dev.videostudio.timeline.TimelineStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ProxyService}. The cache maps "timeline id + content key" to the ready
 * proxy; the content key is the timeline's content hash plus the proxy settings, so an identical
 * edit is answered in microseconds and any change misses. A small JSON file next to each proxy
 * records which content it shows, so the answer survives a restart.
 */
final class CachingProxyService implements ProxyService {

    private static final Logger LOG = LoggerFactory.getLogger(CachingProxyService.class);
    /** The timeline's stored preview progress is written at most this often while rendering. */
    private static final long PREVIEW_UPDATE_NANOS = 1_000_000_000L;
    private static final int PREVIEW_FRAMES = 24;

    /** What a finished proxy shows; also the JSON sidecar {@code video_proxies/{id}.json}. */
    record ReadyProxy(String timelineId, String key, long revision) {

        /** The render version clients see in the proxy's URL: a short prefix of the content key. */
        String version() {
            return key.substring(0, VERSION_LENGTH);
        }
    }

    private static final int VERSION_LENGTH = 12;

    /** The job rendering (or last rendered) a timeline, and for which content. */
    private record Current(String jobId, String key) {
    }

    private final MediaRoot root;
    private final FFmpegTools ffmpeg;
    private final StudioConfig config;
    private final AssetStore assets;
    private final TimelineStore timelines;
    private final JobScheduler jobs;
    private final ProxyRenderer renderer;
    private final Cache<String, ReadyProxy> ready;
    private final Map<String, Current> current = new ConcurrentHashMap<>();
    /** The live streams of the renders running in this process, by job id. */
    private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();

    CachingProxyService(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config, AssetStore assets,
                        TimelineStore timelines, JobScheduler jobs, ProxyRenderer renderer) {
        this.root = root;
        this.ffmpeg = ffmpeg;
        this.config = config;
        this.assets = assets;
        this.timelines = timelines;
        this.jobs = jobs;
        this.renderer = renderer;
        this.ready = Caffeine.newBuilder().maximumSize(config.cacheEntries()).build();
        jobs.register(JobType.VIDEO_PROXY, this::renderJob);
        jobs.register(JobType.EDIT_PROXY, this::editProxyJob);
        assets.onIngest(this::startEditProxy);
    }

    @Override
    public ProxyRenderer renderer() {
        return renderer;
    }

    /** The cache key: everything that changes the proxy's picture and sound. */
    String contentKey(Timeline timeline) {
        return TimelineHash.of(timeline) + "-" + config.proxyHeight() + "-" + RenderPlan.VERSION;
    }

    @Override
    public ProxyState request(String timelineId, boolean force, Double from, java.time.Duration streamWait) {
        Timeline timeline = timelines.get(timelineId);
        String key = contentKey(timeline);
        if (!force) {
            Optional<ReadyProxy> hit = readyFor(timeline, key);
            if (hit.isPresent()) {
                return ProxyState.ready(hit.get().version(), true);
            }
        }
        Current previous = current.get(timelineId);
        if (previous != null && !previous.key().equals(key) && jobs.cancel(previous.jobId())) {
            LOG.info("job {} cancelled: timeline {} changed", previous.jobId(), timelineId);
        }
        Job job = jobs.submit(JobType.VIDEO_PROXY, jobKey(timelineId, key), Map.of(
                "timeline_id", timelineId, "key", key,
                "revision", Long.toString(timeline.revision()), "force", Boolean.toString(force),
                Job.TENANT, timeline.tenant()));
        current.put(timelineId, new Current(job.jobId(), key));
        if (!job.status().isFinal() && job.progress() == 0) {
            preview(timelineId, ProxyPreview.processing(timeline.revision(), 0.0));
        }
        LiveStream.Start start = stream(timelineId, job.jobId(), from);
        long deadline = System.nanoTime() + streamWait.toNanos();
        for (int i = 1; start == null && !job.status().isFinal() && System.nanoTime() < deadline; i++) {
            try {
                Thread.sleep(STREAM_WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            start = stream(timelineId, job.jobId(), from);
            if (start == null && i % 10 == 0) { // a job that ended (or failed) has no stream to wait for
                job = jobs.find(job.jobId()).orElse(job);
            }
        }
        return ProxyState.processing(job.jobId(), job.progress()).withStream(start);
    }

    /** How often a request waiting for a stream looks for it (memory, or one small file of another node's render). */
    private static final long STREAM_WAIT_STEP_MILLIS = 20;

    /**
     * The playlist of a running render that plays from {@code from} (null: from the start): from
     * memory when this process renders it, else from the shared media folder (another node does).
     */
    private LiveStream.Start stream(String timelineId, String jobId, Double from) {
        LiveStream live = streams.get(jobId);
        if (live == null) {
            return SharedStream.find(root.proxies(), streamName(timelineId, jobId), from).orElse(null);
        }
        return (from == null || !(from > 0) ? live.start() : live.prioritise(from)).orElse(null);
    }

    private static String streamName(String timelineId, String jobId) {
        return timelineId + ".live-" + jobId;
    }

    @Override
    public ProxyState state(String timelineId) {
        Timeline timeline = timelines.get(timelineId);
        String key = contentKey(timeline);
        Optional<Job> active = jobs.active(jobKey(timelineId, key));
        if (active.isPresent()) {
            return ProxyState.processing(active.get().jobId(), active.get().progress())
                    .withStream(stream(timelineId, active.get().jobId(), null));
        }
        Optional<ReadyProxy> hit = readyFor(timeline, key);
        if (hit.isPresent()) {
            return ProxyState.ready(hit.get().version(), false);
        }
        Current last = current.get(timelineId);
        if (last != null && last.key().equals(key)) {
            Optional<Job> job = jobs.find(last.jobId());
            if (job.isPresent() && job.get().error() != null) {
                return ProxyState.failed(job.get().error());
            }
        }
        ProxyPreview stored = timeline.proxyPreview();
        if (stored != null && stored.status() == PreviewStatus.FAILED && stored.error() != null
                && (stored.revision() == null || stored.revision() == timeline.revision())) {
            return ProxyState.failed(stored.error());
        }
        return sidecar(timelineId).map(r -> ProxyState.stale(r.version())).orElse(ProxyState.none());
    }

    private static String jobKey(String timelineId, String key) {
        return "video_proxy:" + timelineId + ":" + key.substring(0, 16);
    }

    /**
     * The ready proxy of exactly this content, from the cache or (after a restart) its sidecar.
     * A cached hit counts only while the timeline's stored preview does not name another render:
     * a process sharing the store may have published a newer proxy over the same file since this
     * one cached it (the stored record is the shared truth; the cache saves the file reads).
     */
    private Optional<ReadyProxy> readyFor(Timeline timeline, String key) {
        String timelineId = timeline.timelineId();
        String cacheKey = timelineId + "/" + key;
        ReadyProxy hit = ready.getIfPresent(cacheKey);
        ProxyPreview stored = timeline.proxyPreview();
        if (hit != null && stored != null && stored.version() != null && !hit.version().equals(stored.version())) {
            ready.invalidate(cacheKey);
            hit = null;
        }
        if (hit == null) {
            hit = sidecar(timelineId).filter(r -> r.key().equals(key)).orElse(null);
            if (hit == null) {
                return Optional.empty();
            }
            ready.put(cacheKey, hit);
        }
        if (!Files.isRegularFile(proxyFile(timelineId))) { // removed behind our back
            ready.invalidate(cacheKey);
            return Optional.empty();
        }
        return Optional.of(hit);
    }

    private Optional<ReadyProxy> sidecar(String timelineId) {
        Path file = sidecarFile(timelineId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StudioJson.mapper().readValue(file.toFile(), ReadyProxy.class));
        } catch (IOException e) {
            LOG.warn("ignoring unreadable proxy record {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private Path proxyFile(String timelineId) {
        return root.proxies().resolve(MediaRoot.requireValidId(timelineId, "timeline") + ".webm");
    }

    private Path sidecarFile(String timelineId) {
        return root.proxies().resolve(MediaRoot.requireValidId(timelineId, "timeline") + ".json");
    }

    /** The {@code video_proxy} job: render, then publish file, record and cache entry together. */
    private void renderJob(JobContext ctx) {
        String timelineId = ctx.payload().get("timeline_id");
        String key = ctx.payload().get("key");
        long revision = Long.parseLong(ctx.payload().getOrDefault("revision", "0"));
        boolean force = Boolean.parseBoolean(ctx.payload().get("force"));
        Timeline timeline = timelines.get(timelineId);
        if (!contentKey(timeline).equals(key)) {
            // a newer request renders the current content; this one is simply no longer wanted
            throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED,
                    "the timeline changed before this render started; request its proxy again");
        }
        current.putIfAbsent(timelineId, new Current(ctx.jobId(), key));
        Path work = root.temp().resolve(ctx.jobId() + ".webm");
        long[] lastUpdate = {System.nanoTime()};
        LiveStream live = new LiveStream(root.proxies(), streamName(timelineId, ctx.jobId()));
        streams.put(ctx.jobId(), live);
        removeOldStreams(timelineId);
        // seeks asked through other nodes (the distributed mode) reach this render through a file
        try (SharedStream.Serving seeks = SharedStream.serve(root.proxies(), streamName(timelineId, ctx.jobId()), live)) {
            RenderReport report = renderer.render(timeline, work, !force, p -> {
                ctx.progress(p);
                long now = System.nanoTime();
                if (now - lastUpdate[0] > PREVIEW_UPDATE_NANOS) {
                    lastUpdate[0] = now;
                    preview(timelineId, ProxyPreview.processing(revision, p));
                }
            }, ctx::isCancelled, live);
            publish(timelineId, key, revision, work);
            LOG.info("job {} proxy of timeline {} ready: {} of {} segments rendered in {} s", ctx.jobId(), timelineId,
                    report.segmentsRendered(), report.segments(),
                    String.format(Locale.ROOT, "%.2f", report.elapsedSeconds()));
        } catch (StudioException e) {
            if (!e.is(ErrorCode.CANCELLED)) {
                preview(timelineId, ProxyPreview.failed(revision, e.toErrorInfo()));
            }
            throw e;
        } finally {
            if (ctx.isCancelled()) { // whatever the render threw when its job was cancelled
                forgetCancelled(timelineId, ctx.jobId(), revision);
            }
            MediaRoot.deleteQuietly(work);
            streams.remove(ctx.jobId());
        }
    }

    /**
     * A render cancelled by its job (not replaced by a newer edit) must not leave the timeline
     * saying {@code processing}: a page reopened later would ask for it again. The stored state
     * goes back to what the files say, unless another render has taken the timeline over since.
     */
    private void forgetCancelled(String timelineId, String jobId, long revision) {
        current.computeIfPresent(timelineId, (id, c) -> c.jobId().equals(jobId) ? null : c);
        boolean interrupted = Thread.interrupted(); // the cancel's interrupt would fail the store's write
        try {
            resetPreview(timelineId, revision);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void resetPreview(String timelineId, long revision) {
        synchronized (publishLock) {
            Optional<Timeline> latest = timelines.find(timelineId);
            ProxyPreview stored = latest.map(Timeline::proxyPreview).orElse(null);
            if (stored == null || stored.status() != PreviewStatus.PROCESSING
                    || stored.revision() == null || stored.revision() != revision) {
                return;
            }
            String key = contentKey(latest.get());
            preview(timelineId, sidecar(timelineId)
                    .map(r -> r.key().equals(key) ? ProxyPreview.ready(r.revision(), r.version())
                            : ProxyPreview.ready(r.revision(), r.version()).stale())
                    .orElse(ProxyPreview.none()));
        }
    }

    /**
     * Removes the live streams of a timeline's earlier renders (a finished render's stream is kept
     * until the next render starts, so a player still on it can switch to the file in peace).
     */
    private void removeOldStreams(String timelineId) {
        java.util.Set<String> running = new java.util.HashSet<>();
        for (String jobId : streams.keySet()) {
            running.add(timelineId + ".live-" + jobId + ".");
        }
        LiveStream.removeOthers(root.proxies(), timelineId, running);
    }

    private void publish(String timelineId, String key, long revision, Path work) {
        synchronized (publishLock) {
            // the stored timeline, not this node's memory of requests: with a shared store the
            // request and the render may be on different nodes
            Optional<Timeline> latest = timelines.find(timelineId);
            if (latest.isEmpty()) {
                throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the timeline was deleted during its render");
            }
            if (!contentKey(latest.get()).equals(key)) {
                throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "a newer edit of the timeline replaced this render");
            }
            ReadyProxy done = new ReadyProxy(timelineId, key, revision);
            try {
                MediaRoot.moveIntoPlace(work, proxyFile(timelineId));
                MediaRoot.writeAtomically(sidecarFile(timelineId), StudioJson.mapper().writeValueAsBytes(done));
            } catch (IOException e) {
                throw StudioException.writeFailure("the proxy of timeline " + timelineId, e);
            }
            ready.put(timelineId + "/" + key, done);
            preview(timelineId, ProxyPreview.ready(revision, done.version()));
        }
    }

    /** Records the preview state on the timeline; a timeline deleted meanwhile is no error. */
    private void preview(String timelineId, ProxyPreview preview) {
        try {
            timelines.updatePreview(timelineId, preview);
        } catch (StudioException e) {
            LOG.debug("preview of timeline {} not recorded: {}", timelineId, e.getMessage());
        }
    }

    @Override
    public void delete(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        Current running = current.remove(timelineId);
        if (running != null && jobs.cancel(running.jobId())) {
            LOG.info("job {} cancelled: timeline {} deleted", running.jobId(), timelineId);
        }
        synchronized (publishLock) {
            ready.asMap().keySet().removeIf(k -> k.startsWith(timelineId + "/"));
            MediaRoot.deleteQuietly(proxyFile(timelineId));
            MediaRoot.deleteQuietly(sidecarFile(timelineId));
            try (DirectoryStream<Path> stills = Files.newDirectoryStream(root.proxies(), timelineId + ".*.*")) {
                for (Path p : stills) {
                    MediaRoot.deleteQuietly(p);
                }
            } catch (IOException e) {
                LOG.warn("posters and previews of timeline {} not removed: {}", timelineId, e.getMessage());
            }
        }
    }

    private void startEditProxy(Asset asset) {
        if (asset.kind() != AssetKind.VIDEO || !asset.hasVideo()) {
            return;
        }
        try {
            jobs.submit(JobType.EDIT_PROXY, "edit_proxy:" + asset.assetId(), Map.of("asset_id", asset.assetId(), Job.TENANT, asset.tenant()));
        } catch (StudioException e) {
            // renders then decode the original: slower, still correct
            LOG.warn("no edit proxy for asset {}: {}", asset.assetId(), e.getMessage());
        }
    }

    private void editProxyJob(JobContext ctx) {
        String assetId = ctx.payload().get("asset_id");
        Asset asset = assets.find(assetId).orElseThrow(() -> StudioException.notFound("asset", assetId));
        renderer.makeEditProxy(asset, ctx::progress, ctx::isCancelled);
    }

    @Override
    public Path poster(String timelineId) {
        return still(timelineId, "jpg", (proxy, duration, out) -> out
                .addArguments("-ss", String.format(Locale.ROOT, "%.3f", Math.min(duration * 0.1, Math.max(0, duration - 0.1))))
                .addArguments("-frames:v", "1").addArguments("-c:v", "mjpeg").addArguments("-q:v", "3")
                .setFormat("mjpeg"), false);
    }

    @Override
    public Path animatedPreview(String timelineId) {
        // Keyframes only (every 2 s): a flip-through costs no full decode of the proxy.
        return still(timelineId, "webp", (proxy, duration, out) -> out
                .addArguments("-vf", String.format(Locale.ROOT, "fps=%d/%.3f,scale=320:-2,setpts=N/(4*TB)",
                        PREVIEW_FRAMES, Math.max(duration, 0.5)))
                .addArguments("-r", "4").addArguments("-c:v", "libwebp_anim").addArguments("-loop", "0")
                .addArguments("-q:v", "70").setFormat("webp"), true);
    }

    @Override
    public Path animatedGif(String timelineId) {
        // The WebP's frames (same keyframes, rate and size); the palette is made from those frames.
        return still(timelineId, "gif", (proxy, duration, out) -> out
                .addArguments("-vf", String.format(Locale.ROOT, "fps=%d/%.3f,scale=320:-2,setpts=N/(4*TB),"
                        + "split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer",
                        PREVIEW_FRAMES, Math.max(duration, 0.5)))
                .addArguments("-r", "4").addArguments("-loop", "0").setFormat("gif"), true);
    }

    private interface StillOutput {
        UrlOutput configure(Path proxy, double duration, UrlOutput out);
    }

    /** Makes (once per content) an image from the ready proxy, named by its content key. */
    private Path still(String timelineId, String extension, StillOutput how, boolean keyframesOnly) {
        Timeline timeline = timelines.get(timelineId);
        String key = contentKey(timeline);
        ReadyProxy r = readyFor(timeline, key).orElseThrow(() -> new StudioException(Problem.CONFLICT,
                ErrorCode.PROXY_NOT_READY, "the proxy of this timeline's current content is not ready: request the proxy of timeline '"
                        + timelineId + "' first"));
        Path target = root.proxies().resolve(timelineId + "." + key.substring(0, VERSION_LENGTH) + "." + extension);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path tmp = MediaRoot.tempSibling(target);
        Path proxy = proxyFile(timelineId);
        double duration = timeline.duration();
        var input = ffmpeg.input(proxy, "matroska");
        if (keyframesOnly) {
            input.addArguments("-skip_frame", "nokey");
        }
        try {
            ffmpeg.run(ffmpeg.command().addInput(input).addOutput(how.configure(proxy, duration, UrlOutput.toPath(tmp))),
                    0, null, null);
            MediaRoot.moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw StudioException.writeFailure("the " + extension + " preview", e);
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
        removeOlder(timelineId, extension, target);
        LOG.debug("{} of timeline {} made for version {}", extension, timelineId, r.version());
        return target;
    }

    private void removeOlder(String timelineId, String extension, Path keep) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(root.proxies(), timelineId + ".*." + extension)) {
            for (Path p : old) {
                if (!p.equals(keep)) {
                    MediaRoot.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("old previews of {} not removed: {}", timelineId, e.getMessage());
        }
    }
}
