package dev.videostudio.proxy;

import dev.videostudio.ErrorCode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import dev.videostudio.timeline.Clip;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.Track;
import dev.videostudio.timeline.TrackKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a proxy render has to produce, worked out before any FFmpeg runs: the output size, the
 * video cut into segments at every clip boundary and the sound cut into chunks at every sound
 * boundary. Each piece is named by the hash of what it holds, not of where it sits, so an edit
 * (even one that moves every later clip) only changes the pieces it touches.
 *
 * @param width       output width, even
 * @param height      output height, even
 * @param totalFrames timeline length in frames at {@code fps}
 * @param audio       the sound of every clip, on the timeline
 * @param sound       the sound cut into chunks that are encoded apart and spliced (see {@link SoundChunk})
 */
record RenderPlan(int width, int height, FrameRate fps, long totalFrames,
                  List<Segment> segments, List<AudioPart> audio, List<SoundChunk> sound) {

    /** Bump when the encoding settings change, so older cached segments are not reused. */
    static final String VERSION = "v2";

    /** Longest segment: longer stretches are cut so that they render in parallel. */
    static final double MAX_SEGMENT_SECONDS = 10;

    /**
     * The timeline is also cut here (seconds): the live stream's first segments are short, so the
     * first one plays within a second of the request.
     */
    static final double[] EARLY_CUTS = {1, 3};

    /** The proxy's sound: 48 kHz, Opus's own rate. */
    static final int SAMPLE_RATE = 48_000;
    /**
     * Longest sound chunk in samples (30 s), a whole number of Opus packets. Sound is cheap to
     * encode (about 4 ms per second here) next to starting ffmpeg (about 90 ms), so chunks are
     * longer than segments.
     */
    static final long MAX_CHUNK_SAMPLES = 30L * SAMPLE_RATE;
    /**
     * Sound encoded before a chunk's start and thrown away (200 ms, 10 packets): long enough
     * for the encoder and the resamplers to reach the state a continuous encode has there, so
     * the spliced stream decodes as one (RFC 7845 asks decoders for 80 ms after a seek).
     */
    static final long PREROLL_SAMPLES = 10L * OggOpus.PACKET_SAMPLES;

    /** One clip showing during a segment; later layers are on top. */
    record Layer(Clip clip, Asset asset, String trackId, double sourceOffset) {
    }

    /** A stretch of frames with the same layers on screen. */
    record Segment(int index, long startFrame, long frames, List<Layer> layers, String hash) {

        double seconds(FrameRate fps) {
            return fps.seconds(frames);
        }
    }

    /** The sound of one clip of track {@code track}: placed at {@code start} on the timeline, {@code gain} in 0..2. */
    record AudioPart(int track, Clip clip, Asset asset, double start, double sourceIn, double duration, double gain) {

        long startSample() {
            return Math.round(start * SAMPLE_RATE);
        }

        long endSample() {
            return startSample() + Math.round(duration * SAMPLE_RATE);
        }
    }

    /**
     * The timeline's sound from sample {@code start} for {@code length} samples, encoded on its
     * own from {@code preroll} samples earlier. Chunks start on the Opus packet grid (every 960
     * samples from the timeline's start), so their packets splice into one stream exactly.
     *
     * @param parts the sound heard in {@code [start - preroll, start + length)}, placed relative to its start
     * @param hash  what the encoder is given, independent of where the chunk sits on the timeline
     */
    record SoundChunk(int index, long start, long length, long preroll, List<AudioPart> parts, String hash) {
    }

    double durationSeconds() {
        return fps.seconds(totalFrames);
    }

    static RenderPlan of(Timeline timeline, Function<String, Optional<Asset>> assets, int proxyHeight) {
        FrameRate fps = FrameRate.of(timeline.fps());
        int height = even(Math.min(proxyHeight, Math.max(16, timeline.height())));
        int width = even((int) Math.round((double) height * timeline.width() / timeline.height()));
        List<ErrorDetail> problems = new ArrayList<>();
        List<Layered> visual = new ArrayList<>();
        List<AudioPart> audio = new ArrayList<>();
        List<Track> tracks = timeline.tracks();
        boolean anySolo = tracks.stream().anyMatch(Track::solo);
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            for (int c = 0; c < track.clips().size(); c++) {
                Clip clip = track.clips().get(c);
                String path = "tracks[" + t + "].clips[" + c + "]";
                Optional<Asset> found = clip.assetId() == null ? Optional.empty() : assets.apply(clip.assetId());
                if (found.isEmpty()) {
                    problems.add(new ErrorDetail(path + ".asset_id", "clip '" + clip.id() + "' uses asset '"
                            + clip.assetId() + "', which does not exist"));
                    continue;
                }
                if (!(clip.duration() > 0) || clip.start() < 0 || clip.sourceIn() < 0) {
                    problems.add(new ErrorDetail(path, "clip '" + clip.id() + "' has no length or a negative time"));
                    continue;
                }
                Asset asset = found.get();
                boolean picture = track.kind() == TrackKind.VIDEO
                        && (asset.kind() == AssetKind.VIDEO || asset.kind() == AssetKind.IMAGE);
                if (picture) {
                    visual.add(new Layered(t, track.id(), clip, asset, fps.frameAt(clip.start()), fps.frameAt(clip.end())));
                }
                double gain = clip.gain();
                if (asset.hasAudio() && asset.kind() != AssetKind.IMAGE && gain > 0 && track.heard(anySolo)) {
                    audio.add(new AudioPart(t, clip, asset, clip.start(), clip.sourceIn(), clip.duration(), Math.min(2, gain)));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StudioException(StudioException.Problem.INVALID, ErrorCode.INVALID_TIMELINE,
                    "the timeline cannot be rendered: " + problems.getFirst().message(), problems);
        }
        long total = fps.frameAt(timeline.duration());
        if (total <= 0) {
            throw new StudioException(StudioException.Problem.INVALID, "empty_timeline",
                    "the timeline has no clips, so there is nothing to render");
        }
        List<Segment> segments = segments(visual, total, fps, width, height);
        long samples = Math.round(fps.seconds(total) * SAMPLE_RATE);
        return new RenderPlan(width, height, fps, total, segments, List.copyOf(audio), soundChunks(audio, samples));
    }

    private record Layered(int trackIndex, String trackId, Clip clip, Asset asset, long from, long to) {
    }

    private static List<Segment> segments(List<Layered> visual, long total, FrameRate fps, int width, int height) {
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, total));
        for (double early : EARLY_CUTS) {
            cuts.add(Math.min(total, fps.frameAt(early)));
        }
        for (Layered l : visual) {
            cuts.add(Math.clamp(l.from, 0, total));
            cuts.add(Math.clamp(l.to, 0, total));
        }
        long maxFrames = Math.max(1, (long) Math.ceil(MAX_SEGMENT_SECONDS * fps.value()));
        List<Segment> out = new ArrayList<>();
        for (Stretch piece : stretches(cuts, maxFrames)) {
            long a = piece.start();
            long frames = piece.length();
            List<Layer> layers = new ArrayList<>();
            for (Layered l : visual) { // already in track order: later tracks on top
                if (l.from <= a && l.to >= a + frames) {
                    if (fillsTheFrame(l.asset, width, height)) {
                        layers.clear(); // hidden below an opaque layer: not decoded at all
                    }
                    double offset = l.asset.kind() == AssetKind.IMAGE ? 0
                            : l.clip.sourceIn() + fps.seconds(a - l.from);
                    layers.add(new Layer(l.clip, l.asset, l.trackId, offset));
                }
            }
            out.add(new Segment(out.size(), a, frames, List.copyOf(layers),
                    segmentHash(layers, frames, fps, width, height)));
        }
        return List.copyOf(out);
    }

    /** A stretch of the timeline, {@code [start, start + length)}, in frames or samples. */
    private record Stretch(long start, long length) {
    }

    /** The stretches between consecutive {@code cuts}, each cut again every {@code max}, in order. */
    private static List<Stretch> stretches(TreeSet<Long> cuts, long max) {
        List<Stretch> out = new ArrayList<>();
        Long previous = null;
        for (long cut : cuts) {
            if (previous != null) {
                for (long start = previous; start < cut; start += max) {
                    out.add(new Stretch(start, Math.min(max, cut - start)));
                }
            }
            previous = cut;
        }
        return out;
    }

    /**
     * True when a layer covers the whole picture: it has the output's shape, so fitting it leaves
     * no bars. Layers are always opaque here (each is converted to yuv420p before the overlay).
     */
    static boolean fillsTheFrame(Asset asset, int width, int height) {
        return asset.width() != null && asset.height() != null
                && (long) asset.width() * height == (long) asset.height() * width;
    }

    /** What a segment shows, independent of where it sits on the timeline. */
    private static String segmentHash(List<Layer> layers, long frames, FrameRate fps, int width, int height) {
        StringBuilder sb = new StringBuilder("segment|").append(VERSION).append('|').append(width).append('x')
                .append(height).append('|').append(fps).append('|').append(frames);
        for (Layer l : layers) {
            sb.append('|').append(l.asset.assetId()).append('@').append(micros(l.sourceOffset));
        }
        return sha256(sb.toString());
    }

    /**
     * Cuts the sound where a clip's sound starts or ends (on the packet grid) and every
     * {@link #MAX_CHUNK_SAMPLES} after that, so that after a ripple edit the chunks that only
     * moved keep their content and hash. They move whole packets only when the shift is a
     * multiple of 20 ms; otherwise they are encoded again (in parallel).
     */
    static List<SoundChunk> soundChunks(List<AudioPart> audio, long total) {
        int packet = OggOpus.PACKET_SAMPLES;
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, total));
        // the first chunk ends with the first segment: the live stream's first piece waits for no more sound
        cuts.add(Math.min(total, Math.round(EARLY_CUTS[0] * SAMPLE_RATE) / packet * packet));
        for (AudioPart p : audio) {
            cuts.add(Math.clamp(p.startSample() / packet * packet, 0, total));
            cuts.add(Math.clamp(p.endSample() / packet * packet, 0, total));
        }
        List<SoundChunk> out = new ArrayList<>();
        for (Stretch piece : stretches(cuts, MAX_CHUNK_SAMPLES)) {
            long start = piece.start();
            long length = piece.length();
            long preroll = Math.min(PREROLL_SAMPLES, start);
            List<AudioPart> parts = partsWithin(audio, start - preroll, start + length);
            out.add(new SoundChunk(out.size(), start, length, preroll, parts, soundHash(parts, preroll, length)));
        }
        return List.copyOf(out);
    }

    /** The parts heard in {@code [from, to)}, cut to it and placed relative to {@code from}. */
    private static List<AudioPart> partsWithin(List<AudioPart> audio, long from, long to) {
        List<AudioPart> parts = new ArrayList<>();
        for (AudioPart p : audio) {
            long a = Math.max(p.startSample(), from);
            long b = Math.min(p.endSample(), to);
            if (b > a) {
                parts.add(new AudioPart(p.track, p.clip, p.asset, (double) (a - from) / SAMPLE_RATE,
                        p.sourceIn + (double) (a - p.startSample()) / SAMPLE_RATE, (double) (b - a) / SAMPLE_RATE, p.gain));
            }
        }
        return List.copyOf(parts);
    }

    private static String soundHash(List<AudioPart> parts, long preroll, long length) {
        StringBuilder sb = new StringBuilder("sound|").append(VERSION).append('|').append(preroll).append('|').append(length);
        for (AudioPart p : parts) {
            sb.append('|').append(p.track).append(':').append(p.asset.assetId()).append('@').append(p.startSample())
                    .append(',').append(micros(p.sourceIn)).append(',').append(p.endSample() - p.startSample())
                    .append(',').append(String.format(Locale.ROOT, "%.4f", p.gain));
            if (p.clip.fadeInSeconds() > 0 || p.clip.fadeOutSeconds() > 0) {
                // the ramp depends on where the part sits in its clip
                sb.append(",fade:").append(micros(p.clip.fadeInSeconds())).append(',').append(micros(p.clip.fadeOutSeconds()))
                        .append(',').append(micros(p.sourceIn - p.clip.sourceIn())).append(',').append(micros(p.clip.sourceOut() - p.sourceIn));
            }
        }
        return sha256(sb.toString());
    }

    private static long micros(double seconds) {
        return Math.round(seconds * 1_000_000);
    }

    private static int even(int n) {
        return Math.max(2, n - (n % 2));
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
