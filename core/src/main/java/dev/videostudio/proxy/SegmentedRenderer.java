package dev.videostudio.proxy;

import dev.videostudio.ErrorCode;
import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import dev.videostudio.ErrorDetail;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import static dev.videostudio.proxy.RenderPlan.SAMPLE_RATE;

import dev.videostudio.proxy.RenderPlan.AudioPart;
import dev.videostudio.proxy.RenderPlan.Layer;
import dev.videostudio.proxy.RenderPlan.Segment;
import dev.videostudio.proxy.RenderPlan.SoundChunk;
import dev.videostudio.timeline.Timeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link ProxyRenderer}: segments cached by content hash, rendered in parallel. */
final class SegmentedRenderer implements ProxyRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedRenderer.class);

    /** VP9 realtime settings shared by every segment, so segments join with stream copy. */
    // VP9, not VP8: the same segment must also go into the live stream's fMP4, which has no VP8.
    // Realtime speed 8 without lag or adaptive quantisation: about twice VP8's encoding time.
    static final List<String> VIDEO_CODEC = List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
            "-row-mt", "1", "-lag-in-frames", "0", "-aq-mode", "0",
            "-b:v", "700k", "-qmin", "4", "-qmax", "48", "-pix_fmt", "yuv420p");
    // complexity 0: a third of the default encoding time, still clean at 96 kb/s for a preview. (60 ms
    // frames would save a little more but pad the end past the last video frame.)
    static final List<String> AUDIO_CODEC = List.of("-c:a", "libopus", "-b:a", "96k", "-compression_level", "0",
            "-ar", "48000", "-ac", "2");
    /** Keyframes every this many seconds: a browser seek decodes at most this much. */
    static final double KEYFRAME_SECONDS = 2;
    private static final int EDIT_PROXY_GOP = 12;
    /** Cached segments and sound mixes no render used for this long are removed at start. */
    static final Duration KEEP_UNUSED = Duration.ofDays(30);
    private static final String FMP4_FLAGS = "frag_keyframe+empty_moov+default_base_moof";
    /** One video timescale for every segment's fMP4, whether encoded or remuxed: they share one init section. */
    private static final int FMP4_TIMESCALE = 90_000;
    private static final Pattern INPUT_INDEX = Pattern.compile("#(\\d+):\\d+");

    private final MediaRoot root;
    private final FFmpegTools ffmpeg;
    private final StudioConfig config;
    private final AssetStore assets;
    private final int cores;
    private final ExecutorService pool;
    private final ConcurrentHashMap<String, ReentrantLock> editProxyLocks = new ConcurrentHashMap<>();

    SegmentedRenderer(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config, AssetStore assets) {
        this.root = root;
        this.ffmpeg = ffmpeg;
        this.config = config;
        this.assets = assets;
        this.cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(cores, r -> {
            Thread t = new Thread(r, "proxy-render-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void recover() {
        pruneSegments();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public RenderReport render(Timeline timeline, Path output, boolean reuseSegments,
                               DoubleConsumer progress, BooleanSupplier cancelled, LiveStream live) {
        long began = System.nanoTime();
        RenderPlan plan = RenderPlan.of(timeline, assets::find, config.proxyHeight());
        long planned = System.nanoTime();
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stop = () -> failed.get() || (cancelled != null && cancelled.getAsBoolean());
        Work work = new Work(plan, live, reuseSegments, new Progress(progress), stop, began, planned);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            futures.add(pool.submit(() -> work.run(stop)));
        }
        waitAll(futures, failed);
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the render was cancelled");
        }
        if (live != null) {
            live.end();
        }
        Path sound = root.temp().resolve(MediaRoot.newId("sound") + ".ogg");
        try {
            spliceSound(plan, sound);
            join(plan, sound, output, stop);
        } finally {
            MediaRoot.deleteQuietly(sound);
        }
        work.meter.done();
        double elapsed = (System.nanoTime() - began) / 1e9;
        LOG.info("proxy {} rendered: {} segments, {} rendered; {} sound chunks, {} rendered; {} s of video in {} s",
                output.getFileName(), plan.segments().size(), work.segmentsRendered, plan.sound().size(),
                work.soundRendered, String.format(Locale.ROOT, "%.2f", plan.durationSeconds()),
                String.format(Locale.ROOT, "%.2f", elapsed));
        return new RenderReport(plan.segments().size(), work.segmentsRendered, plan.sound().size(), work.soundRendered,
                plan.durationSeconds(), elapsed);
    }

    /**
     * The pieces of one render, handed to the worker threads in playback order from the live
     * stream's priority (a seek moves it): before each segment the sound chunks it needs, and
     * with a live stream, each segment's fMP4 as soon as its picture and sound exist.
     */
    private final class Work {
        final RenderPlan plan;
        final LiveStream live;
        final Progress meter;
        final int segmentsRendered;
        final int soundRendered;
        private final int threads;
        private final List<List<SoundChunk>> needs = new ArrayList<>(); // per segment
        private final boolean[] segmentDone;
        private final boolean[] segmentStarted;
        private final boolean[] muxStarted;
        private final java.util.Set<String> soundDone = new java.util.HashSet<>();
        private final java.util.Set<String> soundStarted = new java.util.HashSet<>();
        private final Map<Integer, DoubleConsumer> segmentSlots = new java.util.HashMap<>();
        private final Map<String, DoubleConsumer> soundSlots = new java.util.HashMap<>();
        private final double[] starts;
        private final ConcurrentHashMap<String, OggOpus.Stream> sounds = new ConcurrentHashMap<>();
        private final BooleanSupplier stop;
        // when each step of the first stream segment happened, for the log (nanoTime)
        private final long began;
        private final long planned;
        private long ready;
        private final long[] pictureDone;
        private final Map<String, Long> soundDoneAt = new ConcurrentHashMap<>();
        private final AtomicBoolean firstWritten = new AtomicBoolean();

        Work(RenderPlan plan, LiveStream live, boolean reuse, Progress meter, BooleanSupplier stop, long began, long planned) {
            this.began = began;
            this.planned = planned;
            this.pictureDone = new long[plan.segments().size()];
            this.plan = plan;
            this.live = live;
            this.meter = meter;
            this.stop = stop;
            int n = plan.segments().size();
            segmentDone = new boolean[n];
            segmentStarted = new boolean[n];
            muxStarted = new boolean[n];
            starts = new double[n + 1];
            int rendered = 0;
            for (Segment s : plan.segments()) {
                starts[s.index()] = plan.fps().seconds(s.startFrame());
                segmentDone[s.index()] = reuse && reuse(segmentFile(s));
                if (!segmentDone[s.index()]) {
                    rendered++;
                }
            }
            starts[n] = plan.durationSeconds();
            int chunks = 0;
            for (SoundChunk c : plan.sound()) {
                if (!soundDone.contains(c.hash()) && !soundSlots.containsKey(c.hash())) {
                    if (reuse && reuse(soundFile(c))) {
                        soundDone.add(c.hash());
                    } else {
                        soundSlots.put(c.hash(), null); // equal chunks (silence) render once
                        chunks++;
                    }
                }
            }
            segmentsRendered = rendered;
            soundRendered = chunks;
            // Fewer pieces than cores: let each FFmpeg use several threads instead.
            threads = Math.max(1, cores / Math.max(1, Math.min(cores, rendered + chunks)));
            // every piece's progress slot is taken before the first piece starts, so progress never goes back
            for (Segment s : plan.segments()) {
                needs.add(chunksFor(s.index()));
                if (!segmentDone[s.index()]) {
                    segmentSlots.put(s.index(), meter.slot(s.frames()));
                }
            }
            for (SoundChunk c : plan.sound()) {
                if (soundSlots.containsKey(c.hash()) && soundSlots.get(c.hash()) == null) {
                    soundSlots.put(c.hash(), meter.slot(plan.fps().value() * (c.preroll() + c.length()) / SAMPLE_RATE / 8));
                }
            }
            if (live != null) {
                live.open(starts);
            }
            ready = System.nanoTime();
        }

        /** Milliseconds from the start of the render to {@code nanos}, for the log. */
        String ms(long nanos) {
            return nanos == 0 ? "cached" : Long.toString((nanos - began) / 1_000_000);
        }

        /** The first Opus packet (of the spliced stream) heard in segment {@code k}. */
        long firstPacket(int k) {
            return Math.round(starts[k] * SAMPLE_RATE / OggOpus.PACKET_SAMPLES);
        }

        /** The sound chunks holding the packets of segment {@code k}. */
        private List<SoundChunk> chunksFor(int k) {
            boolean last = k == plan.segments().size() - 1;
            long from = firstPacket(k);
            long to = last ? Long.MAX_VALUE : firstPacket(k + 1);
            List<SoundChunk> out = new ArrayList<>();
            for (SoundChunk c : plan.sound()) {
                long a = c.start() / OggOpus.PACKET_SAMPLES;
                long b = c.index() == plan.sound().size() - 1 ? Long.MAX_VALUE : a + c.length() / OggOpus.PACKET_SAMPLES;
                if (a < to && b > from) {
                    out.add(c);
                }
            }
            return out;
        }

        /** A worker thread: takes pieces until none is left for it. */
        void run(BooleanSupplier stop) {
            while (!stop.getAsBoolean()) {
                Runnable piece = next();
                if (piece == null) {
                    return;
                }
                piece.run();
            }
        }

        private synchronized Runnable next() {
            int n = plan.segments().size();
            int from = live == null ? 0 : Math.clamp(live.priority(), 0, n - 1);
            for (int i = 0; live != null && i < n; i++) { // a finished piece of the stream first
                int k = (from + i) % n;
                if (!muxStarted[k] && segmentDone[k] && needs.get(k).stream().allMatch(c -> soundDone.contains(c.hash()))) {
                    muxStarted[k] = true;
                    return () -> muxLive(this, k, stop);
                }
            }
            for (int i = 0; i < n; i++) {
                int k = (from + i) % n;
                for (SoundChunk c : needs.get(k)) {
                    if (!soundDone.contains(c.hash()) && soundStarted.add(c.hash())) {
                        return () -> {
                            renderSound(c, soundSlots.get(c.hash()), stop);
                            soundDoneAt.put(c.hash(), System.nanoTime());
                            finished(() -> soundDone.add(c.hash()));
                        };
                    }
                }
                if (!segmentDone[k] && !segmentStarted[k]) {
                    segmentStarted[k] = true;
                    Segment s = plan.segments().get(k);
                    return () -> {
                        renderSegment(plan, s, threads, segmentSlots.get(k), stop, live != null);
                        pictureDone[k] = System.nanoTime();
                        finished(() -> segmentDone[k] = true);
                    };
                }
            }
            return null;
        }

        private synchronized void finished(Runnable mark) {
            mark.run();
        }

        /** The spliced stream's packets {@code [from, to)} ({@code to} = -1: to the end). */
        List<byte[]> packets(long from, long to, long totalSamples) throws IOException {
            List<byte[]> out = new ArrayList<>();
            for (SoundChunk c : plan.sound()) {
                OggOpus.Stream s = sounds.get(c.hash());
                long base = c.start() / OggOpus.PACKET_SAMPLES;
                boolean last = c.index() == plan.sound().size() - 1;
                if (!last && base + c.length() / OggOpus.PACKET_SAMPLES <= from || to >= 0 && base >= to) {
                    continue;
                }
                if (s == null) {
                    s = OggOpus.read(soundFile(c));
                    sounds.put(c.hash(), s);
                }
                long skip = c.preroll() / OggOpus.PACKET_SAMPLES;
                long end = last ? Math.ceilDiv(s.preSkip() + totalSamples, OggOpus.PACKET_SAMPLES)
                        : base + c.length() / OggOpus.PACKET_SAMPLES;
                long a = Math.max(from, base);
                long b = to < 0 ? end : Math.min(to, end);
                if (skip + (b - base) > s.packets().size()) {
                    throw new IOException("sound chunk " + c.index() + " is short of packets");
                }
                for (long g = a; g < b; g++) {
                    out.add(s.packets().get((int) (skip + g - base)));
                }
            }
            return out;
        }
    }

    /**
     * Writes segment {@code k} of the live stream: its picture (the fMP4 its encoder wrote) and
     * its packets of the spliced sound as one fragment of an Opus track, built here from the
     * packets (no FFmpeg run); decode times moved to where the segment plays.
     */
    private void muxLive(Work w, int k, BooleanSupplier stop) {
        long muxStart = System.nanoTime();
        RenderPlan plan = w.plan;
        boolean last = k == plan.segments().size() - 1;
        long total = Math.round(plan.durationSeconds() * SAMPLE_RATE);
        long first = w.firstPacket(k);
        try {
            List<byte[]> packets = w.packets(first, last ? -1 : w.firstPacket(k + 1), total);
            Path picture = liveSegment(plan.segments().get(k), stop);
            Fmp4.Split split = Fmp4.split(Files.readAllBytes(picture), Map.of(1, w.starts[k]));
            byte[] sound = Fmp4.opusFragment(k + 1, first * OggOpus.PACKET_SAMPLES, packets);
            synchronized (w.live) {
                if (!Files.exists(w.live.initFile())) {
                    // the pre-skip applies once, at the stream's start; a piece has none of its own
                    OggOpus.Stream any = w.sounds.values().iterator().next();
                    MediaRoot.writeAtomically(w.live.initFile(), Fmp4.withOpusTrack(split.init(), any.head()));
                }
            }
            byte[] media = new byte[split.media().length + sound.length];
            System.arraycopy(split.media(), 0, media, 0, split.media().length);
            System.arraycopy(sound, 0, media, split.media().length, sound.length);
            MediaRoot.writeAtomically(w.live.segmentFile(k), media);
            w.live.written(k);
            if (w.firstWritten.compareAndSet(false, true)) {
                long heard = w.needs.get(k).stream().mapToLong(c -> w.soundDoneAt.getOrDefault(c.hash(), 0L)).max().orElse(0);
                LOG.info("live stream: segment {} playable {} ms after the render started (plan {} ms, set-up {} ms, "
                                + "picture {} ms, sound {} ms, mux started {} ms)", k, w.ms(System.nanoTime()), w.ms(w.planned),
                        w.ms(w.ready), w.ms(w.pictureDone[k]), w.ms(heard), w.ms(muxStart));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write segment " + k + " of the live stream", e);
        }
    }

    /** True when a cached piece exists; marks it used now, so that pruning keeps it. */
    private static boolean reuse(Path piece) {
        if (!Files.isRegularFile(piece)) {
            return false; // the common case of a new render: no exception per missing piece (a 60 min plan has 480)
        }
        try {
            Files.setLastModifiedTime(piece, FileTime.from(Instant.now()));
            return true;
        } catch (IOException e) {
            return false; // missing (or unreadable): render it
        }
    }

    /** Removes cached pieces no render used for {@link #KEEP_UNUSED}; part of the start-up recovery. */
    private void pruneSegments() {
        Instant oldest = Instant.now().minus(KEEP_UNUSED);
        int removed = 0;
        try (DirectoryStream<Path> pieces = Files.newDirectoryStream(root.segments(), "{v,a}-*.{webm,mp4,ogg}")) {
            for (Path p : pieces) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(oldest)) {
                    MediaRoot.deleteQuietly(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.warn("segment cache not pruned: {}", e.getMessage());
        }
        if (removed > 0) {
            LOG.info("segment cache: removed {} pieces unused for {} days", removed, KEEP_UNUSED.toDays());
        }
    }

    private static void waitAll(List<Future<?>> futures, AtomicBoolean failed) {
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failed.set(true); // stops the other pieces early
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                        : new StudioException(Problem.INTERNAL, ErrorCode.RENDER_FAILED, String.valueOf(e.getCause()));
                if (first == null || isCancellation(first) && !isCancellation(cause)) {
                    first = cause;
                }
            } catch (InterruptedException e) {
                failed.set(true);
                Thread.currentThread().interrupt();
                first = new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the render was interrupted");
            }
        }
        if (first != null) {
            // pieces still queued never start an ffmpeg (running ones see the stop flag)
            futures.forEach(f -> f.cancel(false));
            throw first;
        }
    }

    private static boolean isCancellation(RuntimeException e) {
        return e instanceof StudioException se && se.is(ErrorCode.CANCELLED);
    }

    Path segmentFile(Segment s) {
        return root.segments().resolve("v-" + s.hash() + ".webm");
    }

    /** The segment's picture as a fragmented MP4 of one video track, for the live stream. */
    Path liveSegmentFile(Segment s) {
        return root.segments().resolve("v-" + s.hash() + ".mp4");
    }

    Path soundFile(SoundChunk c) {
        return root.segments().resolve("a-" + c.hash() + ".ogg");
    }

    /** One segment's picture: a black base with each layer scaled to fit and centred on top. */
    private void renderSegment(RenderPlan plan, Segment s, int threads, DoubleConsumer progress, BooleanSupplier stop,
                               boolean live) {
        Path target = segmentFile(s);
        Path tmp = MediaRoot.tempSibling(target);
        Path liveTarget = liveSegmentFile(s);
        Path liveTmp = MediaRoot.tempSibling(liveTarget);
        FrameRate fps = plan.fps();
        double seconds = s.seconds(fps);
        FFmpeg cmd = ffmpeg.command();
        StringBuilder graph = new StringBuilder(String.format(Locale.ROOT,
                "color=c=black:s=%dx%d:r=%s[b0]", plan.width(), plan.height(), fps));
        int i = 0;
        if (s.layers().size() == 1 && s.layers().getFirst().asset().kind() == AssetKind.VIDEO) {
            // the common case, one video: padding instead of a blend over black costs a third less
            cmd.addInput(layerInput(s.layers().getFirst(), seconds, threads));
            graph = new StringBuilder(String.format(Locale.ROOT,
                    "[0:v:0]setpts=PTS-STARTPTS,fps=%s,scale=w=%d:h=%d:force_original_aspect_ratio=decrease%s,setsar=1"
                            + ",pad=%d:%d:(ow-iw)/2:(oh-ih)/2,format=yuv420p,tpad=stop=-1:stop_mode=clone[b1]",
                    fps, plan.width(), plan.height(), scaler(s.layers().getFirst()), plan.width(), plan.height()));
            i = 1;
        } else {
            for (Layer layer : s.layers()) {
                cmd.addInput(layerInput(layer, seconds, threads));
                graph.append(String.format(Locale.ROOT,
                        ";[%d:v:0]setpts=PTS-STARTPTS,fps=%s,scale=w=%d:h=%d:force_original_aspect_ratio=decrease%s"
                                + ",setsar=1,format=yuv420p[l%d];[b%d][l%d]overlay=x=(W-w)/2:y=(H-h)/2"
                                + ":eof_action=repeat:format=yuv420[b%d]",
                        i, fps, plan.width(), plan.height(), scaler(layer), i, i, i, i + 1));
                i++;
            }
        }
        int gop = (int) Math.max(1, Math.round(KEYFRAME_SECONDS * fps.value()));
        // With a live stream the encoder also writes the picture as a fragmented MP4 (tee: one
        // encode, two files), so the stream's segment needs no FFmpeg run of its own.
        // onfail=abort: by default a failed output (a full disk) only ends that output, and the run
        // goes on as if all were well
        UrlOutput out = (live ? UrlOutput.toUrl("[f=webm:onfail=abort]" + teePath(tmp) + "|[f=mp4:onfail=abort:movflags="
                + FMP4_FLAGS + ":video_track_timescale=" + FMP4_TIMESCALE + "]" + teePath(liveTmp)).setFormat("tee")
                : UrlOutput.toPath(tmp).setFormat("webm"))
                .addArguments("-map", "[b" + i + "]")
                .addArguments("-frames:v", Long.toString(s.frames()))
                .addArguments("-g", Integer.toString(gop))
                .addArguments("-threads", Integer.toString(threads))
                .addArgument("-an");
        addAll(out, VIDEO_CODEC);
        cmd.addArguments("-filter_complex_threads", "1")
                .setComplexFilter(graph.toString())
                .addOutput(out);
        try {
            ffmpeg.run(cmd, seconds, progress, stop);
            if (live) {
                MediaRoot.moveIntoPlace(liveTmp, liveTarget);
            }
            MediaRoot.moveIntoPlace(tmp, target);
        } catch (StudioException e) {
            MediaRoot.deleteQuietly(tmp);
            MediaRoot.deleteQuietly(liveTmp);
            throw isCancellation(e) ? e : segmentFailure(plan, s, e);
        } catch (IOException e) {
            MediaRoot.deleteQuietly(tmp);
            MediaRoot.deleteQuietly(liveTmp);
            throw StudioException.writeFailure("a segment", e);
        }
    }

    /** A file name inside the tee muxer's list, where a backslash, quote or bar would be syntax. */
    private static String teePath(Path p) {
        return p.toAbsolutePath().toString().replaceAll("([\\\\'|\\[\\]])", "\\\\$1");
    }

    /**
     * The picture of a segment for the live stream: the cached one, or (for a segment cached by a
     * render without a stream) remuxed from its WebM by stream copy.
     */
    private Path liveSegment(Segment s, BooleanSupplier stop) throws IOException {
        Path target = liveSegmentFile(s);
        if (reuse(target)) {
            return target;
        }
        Path tmp = MediaRoot.tempSibling(target);
        try {
            UrlOutput out = UrlOutput.toPath(tmp).setFormat("mp4").addArguments("-map", "0:v:0").addArguments("-c", "copy")
                    .addArguments("-movflags", FMP4_FLAGS)
                    .addArguments("-video_track_timescale", Integer.toString(FMP4_TIMESCALE));
            ffmpeg.run(ffmpeg.command().addInput(ffmpeg.input(segmentFile(s), "matroska")).addOutput(out), 0, null, stop);
            MediaRoot.moveIntoPlace(tmp, target);
            return target;
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
    }

    /**
     * The scaler for a layer: a 1080p original shrunk to 360 lines takes the fast bilinear one
     * (as the tuned FFmpeg command does; about 15 % of the decode's time saved, a little softer);
     * edit proxies are already near the output's size and images keep the default.
     */
    private String scaler(Layer layer) {
        return layer.asset().kind() == AssetKind.VIDEO && editProxy(layer.asset().assetId()).isEmpty()
                ? ":flags=fast_bilinear" : "";
    }

    private UrlInput layerInput(Layer layer, double seconds, int threads) {
        Asset asset = layer.asset();
        if (asset.kind() == AssetKind.IMAGE) {
            return ffmpeg.input(assets.file(asset), asset.demuxer());
        }
        Optional<Path> small = editProxy(asset.assetId());
        // Until the edit proxy exists the original is decoded, at full size for a 360 line picture:
        // without the H.264 loop filter (a little softer, invisible once scaled down; about 10 % faster)
        UrlInput in = small.isPresent() ? ffmpeg.input(small.get(), "matroska")
                : ffmpeg.input(assets.file(asset), asset.demuxer()).addArguments("-skip_loop_filter", "all");
        double frame = 1.0 / Math.max(1, asset.fps() == null ? 30 : asset.fps());
        return in.addArguments("-threads", Integer.toString(threads)).addArgument("-an") // its sound is not read here
                .addArguments("-ss", seconds(layer.sourceOffset()))
                .addArguments("-t", seconds(seconds + 2 * frame));
    }

    private StudioException segmentFailure(RenderPlan plan, Segment s, StudioException e) {
        if (e.problem() == Problem.INSUFFICIENT_STORAGE) {
            return e; // a full disk is no clip's fault: keep its code
        }
        List<ErrorDetail> details = new ArrayList<>();
        StringBuilder who = new StringBuilder();
        for (Layer l : s.layers()) {
            details.add(new ErrorDetail("clip " + l.clip().id(), describe(l.clip().id(), l.asset())));
            who.append(who.isEmpty() ? "" : ", ").append(describe(l.clip().id(), l.asset()));
        }
        double from = plan.fps().seconds(s.startFrame());
        return new StudioException(Problem.INTERNAL, ErrorCode.RENDER_FAILED, String.format(Locale.ROOT,
                "could not render the picture from %.2f s to %.2f s (%s): %s", from, from + s.seconds(plan.fps()),
                who.isEmpty() ? "black gap" : who, e.getMessage()), details, e);
    }

    private static String describe(String clipId, Asset asset) {
        return "clip '" + clipId + "' of asset '" + asset.assetId() + "' (" + asset.filename() + ")";
    }

    /** One sound chunk with its pre-roll: each clip delayed to its place, mixed over silence. */
    private void renderSound(SoundChunk chunk, DoubleConsumer progress, BooleanSupplier stop) {
        Path target = soundFile(chunk);
        Path tmp = MediaRoot.tempSibling(target);
        FFmpeg cmd = ffmpeg.command();
        for (AudioPart p : chunk.parts()) {
            cmd.addInput(ffmpeg.input(assets.file(p.asset()), p.asset().demuxer())
                    .addArguments("-ss", seconds(p.sourceIn()))
                    .addArguments("-t", seconds(p.duration()))
                    .addArgument("-vn"));
        }
        long samples = chunk.preroll() + chunk.length();
        UrlOutput out = UrlOutput.toPath(tmp).setFormat("ogg").addArguments("-map", "[aout]").addArgument("-vn");
        addAll(out, AUDIO_CODEC);
        cmd.setComplexFilter(audioGraph(chunk.parts(), samples)).addOutput(out);
        try {
            ffmpeg.run(cmd, (double) samples / SAMPLE_RATE, progress, stop);
            MediaRoot.moveIntoPlace(tmp, target);
        } catch (StudioException e) {
            MediaRoot.deleteQuietly(tmp);
            throw isCancellation(e) ? e : audioFailure(chunk.parts(), e);
        } catch (IOException e) {
            MediaRoot.deleteQuietly(tmp);
            throw StudioException.writeFailure("a sound chunk", e);
        }
    }

    /**
     * Splices the chunks' packets into one Opus stream: from each chunk the packets after its
     * pre-roll that cover its own stretch, from the last one the rest, so the stream decodes
     * as one continuous encode would, with no gap at the seams.
     */
    private void spliceSound(RenderPlan plan, Path target) {
        int packet = OggOpus.PACKET_SAMPLES;
        long total = Math.round(plan.durationSeconds() * SAMPLE_RATE);
        List<byte[]> packets = new ArrayList<>();
        OggOpus.Stream first = null;
        try {
            for (SoundChunk c : plan.sound()) {
                OggOpus.Stream s = OggOpus.read(soundFile(c));
                if (first == null) {
                    first = s;
                } else if (s.preSkip() != first.preSkip()) {
                    throw new IllegalStateException("sound chunks with different encoder delays");
                }
                int skip = (int) (c.preroll() / packet);
                boolean last = c.index() == plan.sound().size() - 1;
                long take = last ? Math.ceilDiv(first.preSkip() + total, packet) - packets.size() : c.length() / packet;
                if (skip + take > s.packets().size()) {
                    throw new IllegalStateException("sound chunk " + c.index() + " has " + s.packets().size()
                            + " packets, " + (skip + take) + " needed");
                }
                packets.addAll(s.packets().subList(skip, (int) (skip + take)));
            }
            OggOpus.write(target, first.head(), first.tags(), packets, total);
        } catch (IOException e) {
            throw StudioException.writeFailure("the spliced sound", e);
        }
    }

    /**
     * The filter graph of the sound mix, input {@code i} being part {@code i}. Each track is one
     * stream: its clips in order with silence between them, joined by {@code concat} (clips of a
     * track never overlap); only the tracks are mixed. (Delaying every clip to its place and
     * mixing them all makes the mixer add up silence for the whole timeline once per clip.)
     */
    static String audioGraph(List<AudioPart> parts, long totalSamples) {
        List<String> chains = new ArrayList<>();
        java.util.TreeMap<Integer, List<Integer>> byTrack = new java.util.TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            byTrack.computeIfAbsent(parts.get(i).track(), k -> new ArrayList<>()).add(i);
        }
        StringBuilder tracks = new StringBuilder();
        int trackCount = 0;
        int gaps = 0;
        for (List<Integer> indexes : byTrack.values()) {
            indexes.sort(Comparator.comparingDouble(i -> parts.get(i).start()));
            StringBuilder pieces = new StringBuilder();
            int n = 0;
            long cursor = 0;
            for (int i : indexes) {
                AudioPart p = parts.get(i);
                long start = Math.max(cursor, Math.round(p.start() * SAMPLE_RATE));
                long length = Math.round(p.duration() * SAMPLE_RATE);
                if (start > cursor) {
                    chains.add(silence(start - cursor) + "[g" + gaps + "]");
                    pieces.append("[g").append(gaps++).append(']');
                    n++;
                }
                chains.add(String.format(Locale.ROOT, "[%d:a:0]asetpts=PTS-STARTPTS,aresample=%d"
                                + ",aformat=sample_fmts=fltp:channel_layouts=stereo,volume=%.4f%s,apad,atrim=end_sample=%d[p%d]",
                        i, SAMPLE_RATE, p.gain(), fades(p), length, i));
                pieces.append("[p").append(i).append(']');
                n++;
                cursor = start + length;
            }
            String label = "[t" + trackCount++ + "]";
            chains.add(pieces + "concat=n=" + n + ":v=0:a=1" + label);
            tracks.append(label);
        }
        String end = "apad,atrim=end_sample=" + totalSamples + "[aout]";
        if (byTrack.isEmpty()) {
            chains.add(silence(totalSamples) + "[aout]");
        } else if (byTrack.size() == 1) {
            chains.add(tracks + end);
        } else {
            chains.add(tracks + "amix=inputs=" + byTrack.size() + ":duration=longest:dropout_transition=0:normalize=0,"
                    + end);
        }
        return String.join(";", chains);
    }

    /**
     * The clip's fades over this part of it, as a gain ramp evaluated every 10 ms. Not afade: a
     * sound chunk may begin half way into a fade, and afade's start time cannot be negative.
     * {@code t} counts from the part's start, which is {@code sourceIn - clip.in} into the clip.
     */
    static String fades(RenderPlan.AudioPart p) {
        double fadeIn = p.clip().fadeInSeconds();
        double fadeOut = p.clip().fadeOutSeconds();
        if (fadeIn <= 0 && fadeOut <= 0) {
            return "";
        }
        double into = p.sourceIn() - p.clip().sourceIn();
        double left = p.clip().sourceOut() - p.sourceIn();
        StringBuilder gain = new StringBuilder();
        if (fadeIn > 0) {
            gain.append(String.format(Locale.ROOT, "min(1,max(0,(t+%.6f)/%.6f))", into, fadeIn));
        }
        if (fadeOut > 0) {
            gain.append(gain.isEmpty() ? "" : "*")
                    .append(String.format(Locale.ROOT, "min(1,max(0,(%.6f-t)/%.6f))", left, fadeOut));
        }
        return ",asetnsamples=n=480:p=0,volume='" + gain + "':eval=frame";
    }

    private static String silence(long samples) {
        return "anullsrc=r=" + SAMPLE_RATE + ":cl=stereo,aformat=sample_fmts=fltp,atrim=end_sample=" + samples;
    }

    /**
     * Names the clip FFmpeg complained about: its message points at an input ({@code #3:0}) or
     * names the file.
     */
    private StudioException audioFailure(List<AudioPart> parts, StudioException e) {
        if (e.problem() == Problem.INSUFFICIENT_STORAGE) {
            return e; // a full disk is no clip's fault: keep its code
        }
        String said = String.valueOf(e.getMessage());
        Matcher m = INPUT_INDEX.matcher(said);
        AudioPart culprit = null;
        if (m.find() && Integer.parseInt(m.group(1)) < parts.size()) {
            culprit = parts.get(Integer.parseInt(m.group(1)));
        }
        for (AudioPart p : parts) {
            if (culprit == null && said.contains(assets.file(p.asset()).getFileName().toString())) {
                culprit = p;
            }
        }
        String who = culprit == null ? "the sound mix" : "the sound of " + describe(culprit.clip().id(), culprit.asset());
        List<ErrorDetail> details = culprit == null ? List.of() : List.of(new ErrorDetail("clip " + culprit.clip().id(), who));
        return new StudioException(Problem.INTERNAL, ErrorCode.RENDER_FAILED, "could not render " + who + ": " + said, details, e);
    }

    /**
     * Joins the cached segments with stream copy and muxes the sound. The concat demuxer is used
     * here only on a list file we write ourselves that names only our own segment files; user
     * media never goes through it (user media is opened only by {@link FFmpegTools#input}).
     */
    private void join(RenderPlan plan, Path sound, Path output, BooleanSupplier stop) {
        Path list = root.temp().resolve(MediaRoot.newId("concat") + ".ffconcat");
        Path tmp = MediaRoot.tempSibling(output);
        StringBuilder sb = new StringBuilder("ffconcat version 1.0\n");
        for (Segment s : plan.segments()) {
            sb.append("file '").append(segmentFile(s).toString().replace("'", "'\\''")).append("'\n")
                    .append("duration ").append(seconds(s.seconds(plan.fps()))).append('\n');
        }
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(list, sb, StandardCharsets.UTF_8);
            UrlInput segments = UrlInput.fromPath(list).setFormat("concat")
                    .addArguments("-safe", "0")
                    .addArguments("-protocol_whitelist", FFmpegTools.PROTOCOLS);
            UrlOutput out = UrlOutput.toPath(tmp).setFormat("webm")
                    .addArguments("-map", "0:v:0").addArguments("-map", "1:a:0")
                    .addArguments("-c", "copy")
                    .addArguments("-reserve_index_space", Integer.toString(cueSpace(plan)));
            ffmpeg.run(ffmpeg.command().addInput(segments).addInput(ffmpeg.input(sound, "ogg")).addOutput(out),
                    0, null, stop);
            MediaRoot.moveIntoPlace(tmp, output);
        } catch (IOException e) {
            throw StudioException.writeFailure("the proxy", e);
        } finally {
            MediaRoot.deleteQuietly(tmp);
            MediaRoot.deleteQuietly(list);
        }
    }

    /**
     * Room for the Cues at the front of the file, so a browser can seek at once, without the
     * rewrite that moving them there afterwards costs: one cue per keyframe (every
     * {@link #KEYFRAME_SECONDS} and at each segment start), about 20 bytes each, doubled.
     */
    static int cueSpace(RenderPlan plan) {
        long keyframes = (long) Math.ceil(plan.durationSeconds() / KEYFRAME_SECONDS) + plan.segments().size() + 1;
        return (int) Math.min(Integer.MAX_VALUE, 1024 + 40 * keyframes);
    }

    @Override
    public Optional<Path> makeEditProxy(Asset asset, DoubleConsumer progress, BooleanSupplier cancelled) {
        if (asset.kind() != AssetKind.VIDEO || !asset.hasVideo()) {
            return Optional.empty();
        }
        Path target = editProxyFile(asset.assetId());
        ReentrantLock lock = editProxyLocks.computeIfAbsent(asset.assetId(), k -> new ReentrantLock());
        lock.lock();
        try {
            if (Files.isRegularFile(target)) {
                return Optional.of(target);
            }
            Path tmp = MediaRoot.tempSibling(target);
            int height = Math.min(config.proxyHeight(), asset.height() == null ? config.proxyHeight() : asset.height());
            // Small H.264, keyframe every few frames and no B-frames: cheap to seek into and decode.
            UrlOutput out = UrlOutput.toPath(tmp).setFormat("matroska")
                    .addArguments("-map", "0:v:0")
                    .addArguments("-vf", "scale=w=-2:h='min(" + height + ",ih)':flags=bicubic,setsar=1,format=yuv420p")
                    .addArguments("-c:v", "libx264").addArguments("-preset", "ultrafast")
                    .addArguments("-tune", "fastdecode").addArguments("-crf", "18")
                    .addArguments("-g", Integer.toString(EDIT_PROXY_GOP)).addArguments("-bf", "0")
                    .addArgument("-an").addArgument("-sn").addArgument("-dn");
            FFmpeg cmd = ffmpeg.command().addInput(ffmpeg.input(assets.file(asset), asset.demuxer())).addOutput(out);
            long began = System.nanoTime();
            try {
                ffmpeg.run(cmd, asset.durationS() == null ? 0 : asset.durationS(), progress, cancelled);
                MediaRoot.moveIntoPlace(tmp, target);
            } catch (StudioException e) {
                MediaRoot.deleteQuietly(tmp);
                throw isCancellation(e) ? e : new StudioException(Problem.INTERNAL, "edit_proxy_failed",
                        "could not make the edit proxy of asset '" + asset.assetId() + "' (" + asset.filename() + "): "
                                + e.getMessage(), List.of(), e);
            } catch (IOException e) {
                MediaRoot.deleteQuietly(tmp);
                throw StudioException.writeFailure("an edit proxy", e);
            }
            LOG.info("edit proxy of asset {} made in {} s", asset.assetId(),
                    String.format(Locale.ROOT, "%.2f", (System.nanoTime() - began) / 1e9));
            return Optional.of(target);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Path> editProxy(String assetId) {
        Path p = editProxyFile(assetId);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private Path editProxyFile(String assetId) {
        return root.editProxies().resolve(MediaRoot.requireValidId(assetId, "asset") + ".mkv");
    }

    private static void addAll(UrlOutput out, List<String> pairs) {
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            out.addArguments(pairs.get(i), pairs.get(i + 1));
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", Math.max(0, s));
    }

    /** Sums the pieces' progress, weighted by their cost, into one 0..1 figure. */
    private static final class Progress {
        private final DoubleConsumer sink;
        private final List<double[]> parts = new ArrayList<>(); // {weight, fraction done}

        Progress(DoubleConsumer sink) {
            this.sink = sink;
        }

        /** A piece of the given weight; take every slot before any piece starts. */
        DoubleConsumer slot(double weight) {
            double[] part = {weight, 0};
            parts.add(part);
            return fraction -> {
                if (sink == null) {
                    return;
                }
                double done = 0;
                double total = 0;
                synchronized (this) {
                    part[1] = Math.max(part[1], Math.min(1, fraction));
                    for (double[] p : parts) {
                        done += p[0] * p[1];
                        total += p[0];
                    }
                }
                sink.accept(total <= 0 ? 0 : done / (total * 1.05)); // the join is the last few percent
            };
        }

        void done() {
            if (sink != null) {
                sink.accept(1.0);
            }
        }
    }
}
