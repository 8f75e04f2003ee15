package dev.videostudio.proxy;

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
 * video cut into segments at every clip boundary (each named by the hash of what it shows, so an
 * edit only changes the segments it touches) and the audio parts mixed in one pass.
 *
 * @param width       output width, even
 * @param height      output height, even
 * @param totalFrames timeline length in frames at {@code fps}
 */
record RenderPlan(int width, int height, FrameRate fps, long totalFrames,
                  List<Segment> segments, List<AudioPart> audio, String audioHash) {

    /** Bump when the encoding settings change, so older cached segments are not reused. */
    static final String VERSION = "v1";

    /** Longest segment: longer stretches are cut so that they render in parallel. */
    static final double MAX_SEGMENT_SECONDS = 10;

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
                if (asset.hasAudio() && asset.kind() != AssetKind.IMAGE && gain > 0) {
                    audio.add(new AudioPart(t, clip, asset, clip.start(), clip.sourceIn(), clip.duration(), Math.min(2, gain)));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new StudioException(StudioException.Problem.INVALID, "invalid_timeline",
                    "the timeline cannot be rendered: " + problems.getFirst().message(), problems);
        }
        long total = fps.frameAt(timeline.duration());
        if (total <= 0) {
            throw new StudioException(StudioException.Problem.INVALID, "empty_timeline",
                    "the timeline has no clips, so there is nothing to render");
        }
        List<Segment> segments = segments(visual, total, fps, width, height);
        return new RenderPlan(width, height, fps, total, segments, List.copyOf(audio), audioHash(audio, fps, total));
    }

    private record Layered(int trackIndex, String trackId, Clip clip, Asset asset, long from, long to) {
    }

    private static List<Segment> segments(List<Layered> visual, long total, FrameRate fps, int width, int height) {
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, total));
        for (Layered l : visual) {
            cuts.add(Math.clamp(l.from, 0, total));
            cuts.add(Math.clamp(l.to, 0, total));
        }
        long maxFrames = Math.max(1, (long) Math.ceil(MAX_SEGMENT_SECONDS * fps.value()));
        List<Segment> out = new ArrayList<>();
        Long previous = null;
        for (long cut : cuts) {
            if (previous != null && cut > previous) {
                for (long a = previous; a < cut; a += maxFrames) {
                    long frames = Math.min(maxFrames, cut - a);
                    List<Layer> layers = new ArrayList<>();
                    for (Layered l : visual) { // already in track order: later tracks on top
                        if (l.from <= a && l.to >= a + frames) {
                            double offset = l.asset.kind() == AssetKind.IMAGE ? 0
                                    : l.clip.sourceIn() + fps.seconds(a - l.from);
                            layers.add(new Layer(l.clip, l.asset, l.trackId, offset));
                        }
                    }
                    out.add(new Segment(out.size(), a, frames, List.copyOf(layers),
                            segmentHash(layers, frames, fps, width, height)));
                }
            }
            previous = cut;
        }
        return List.copyOf(out);
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

    private static String audioHash(List<AudioPart> parts, FrameRate fps, long total) {
        StringBuilder sb = new StringBuilder("audio|").append(VERSION).append('|').append(fps).append('|').append(total);
        for (AudioPart p : parts) {
            sb.append('|').append(p.track).append(':').append(p.asset.assetId()).append('@').append(micros(p.start)).append(',')
                    .append(micros(p.sourceIn)).append(',').append(micros(p.duration)).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", p.gain));
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
