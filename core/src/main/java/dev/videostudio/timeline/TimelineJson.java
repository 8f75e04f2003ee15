package dev.videostudio.timeline;

import dev.videostudio.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a timeline from a JSON tree and checks it whole: every problem (a wrong type, a missing
 * field, an unknown asset, a trim outside the source, overlapping clips...) becomes one
 * {@link ErrorDetail} naming its JSON path, such as {@code tracks[0].clips[2].out}, and all of
 * them are thrown together as one {@code 422 invalid_timeline}.
 *
 * <p>Defaults: {@code name} "Untitled", {@code width} x {@code height} 1280 x 720, {@code fps} 30,
 * {@code tracks} empty, a track or clip without {@code id} gets a fresh one, {@code volume} 1,
 * {@code muted} false. {@code revision} is kept as the revision the client last saw (for the
 * store's optimistic concurrency check; absent or 0: none). Server-owned fields
 * ({@code proxy_preview}, dates, {@code tenant}) and unknown fields are ignored.
 */
public final class TimelineJson {

    /** Frame size and rate of a timeline that does not give them: 720p at 30 fps. */
    public static final int DEFAULT_WIDTH = 1280;
    /** See {@link #DEFAULT_WIDTH}. */
    public static final int DEFAULT_HEIGHT = 720;
    /** See {@link #DEFAULT_WIDTH}. */
    public static final double DEFAULT_FPS = 30;
    /** The name of a timeline saved without one. */
    public static final String DEFAULT_NAME = "Untitled";
    static final int MIN_SIZE = 16;
    static final int MAX_WIDTH = 7680;
    static final int MAX_HEIGHT = 4320;
    static final double MIN_FPS = 1;
    static final double MAX_FPS = 120;
    static final int MAX_NAME = 200;
    static final int MAX_TRACKS = 64;
    static final int MAX_CLIPS_PER_TRACK = 5000;
    /** Latest start of a clip on the timeline: one day. */
    static final double MAX_START = 86_400;
    static final double MAX_VOLUME = 2;
    /** Slack when comparing trims with a source's duration: ffprobe durations are rounded. */
    static final double DURATION_SLACK = 0.001;
    /** Clips touching within a microsecond do not overlap. */
    static final double OVERLAP_SLACK = 1e-6;
    /** The error code of invalid timeline content. */
    public static final String INVALID_CODE = ErrorCode.INVALID_TIMELINE.value();

    private TimelineJson() {
    }

    /**
     * Parses and validates a timeline. The result has no preview or dates yet (the store sets
     * them) and the default tenant (the caller sets the owner with {@link Timeline#withTenant});
     * its {@code timelineId} is the one given, or null, and its revision the one given, or 0.
     *
     * @throws StudioException {@code 422 invalid_timeline} with one detail per problem
     */
    public static Timeline parse(JsonNode tree, AssetLookup assets) {
        Reader reader = new Reader(assets);
        Timeline timeline = reader.timeline(tree);
        if (!reader.problems.isEmpty()) {
            throw invalid(reader.problems);
        }
        return timeline;
    }

    /**
     * The same checks on a timeline built in Java (the store runs them on every save); the
     * result keeps the timeline's tenant and revision.
     */
    public static Timeline validate(Timeline timeline, AssetLookup assets) {
        return parse(toTree(timeline), assets).withTenant(timeline.tenant());
    }

    /** The JSON tree of a timeline, as the HTTP contract shows it. */
    public static JsonNode toTree(Timeline timeline) {
        return StudioJson.mapper().valueToTree(timeline);
    }

    static StudioException invalid(List<ErrorDetail> problems) {
        String message = problems.size() == 1
                ? "the timeline is invalid: " + problems.get(0).path() + ": " + problems.get(0).message()
                : "the timeline is invalid: " + problems.size() + " problems (see details)";
        return new StudioException(StudioException.Problem.INVALID, INVALID_CODE, message, problems);
    }

    /** Seconds for messages: at most 3 decimals, no trailing zeros. */
    static String seconds(double s) {
        String text = String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + " s";
    }

    /** One pass over the tree that collects every problem instead of stopping at the first. */
    private static final class Reader {
        private final AssetLookup assets;
        private final List<ErrorDetail> problems = new ArrayList<>();
        private final Map<String, String> clipIds = new HashMap<>();
        private final Map<String, String> trackIds = new HashMap<>();

        Reader(AssetLookup assets) {
            this.assets = assets;
        }

        void problem(String path, String message) {
            problems.add(new ErrorDetail(path, message));
        }

        Timeline timeline(JsonNode root) {
            if (root == null || !root.isObject()) {
                problem("", "a timeline must be a JSON object");
                return null;
            }
            String id = string(root, "", "timeline_id", false);
            if (id != null && !MediaRoot.isValidId(id)) {
                problem("timeline_id", "malformed id: expected 1-64 letters, digits, '-' or '_'");
            }
            String name = string(root, "", "name", false);
            if (name == null) {
                name = DEFAULT_NAME;
            } else if (name.length() > MAX_NAME) {
                problem("name", "longer than " + MAX_NAME + " characters");
            }
            Long revision = wholeNumber(root, "revision");
            Integer width = integer(root, "", "width", DEFAULT_WIDTH, MIN_SIZE, MAX_WIDTH);
            Integer height = integer(root, "", "height", DEFAULT_HEIGHT, MIN_SIZE, MAX_HEIGHT);
            Double fps = number(root, "", "fps", false);
            if (fps == null && !present(root, "fps")) {
                fps = DEFAULT_FPS;
            } else if (fps != null && (fps < MIN_FPS || fps > MAX_FPS)) {
                problem("fps", "must be from " + fmt(MIN_FPS) + " to " + fmt(MAX_FPS) + ", got " + fmt(fps));
            }
            List<Track> tracks = new ArrayList<>();
            JsonNode tracksNode = root.get("tracks");
            if (tracksNode != null && !tracksNode.isNull()) {
                if (!tracksNode.isArray()) {
                    problem("tracks", "must be an array of tracks, got " + type(tracksNode));
                } else if (tracksNode.size() > MAX_TRACKS) {
                    problem("tracks", "at most " + MAX_TRACKS + " tracks, got " + tracksNode.size());
                } else {
                    for (int i = 0; i < tracksNode.size(); i++) {
                        Track t = track(tracksNode.get(i), "tracks[" + i + "]");
                        if (t != null) {
                            tracks.add(t);
                        }
                    }
                }
            }
            if (!problems.isEmpty()) {
                return null;
            }
            return new Timeline(id, name, width, height, fps, tracks, revision, null, null, null, null);
        }

        Track track(JsonNode node, String path) {
            if (!node.isObject()) {
                problem(path, "a track must be a JSON object, got " + type(node));
                return null;
            }
            String id = identifier(node, path, "t", trackIds);
            TrackKind kind = null;
            String kindText = string(node, path, "kind", true);
            if (kindText != null) {
                try {
                    kind = TrackKind.valueOf(kindText.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem(path + ".kind", "unknown track kind '" + kindText + "': expected video or audio");
                }
            }
            JsonNode clipsNode = node.get("clips");
            List<Clip> clips = new ArrayList<>();
            List<String> clipPaths = new ArrayList<>();
            if (clipsNode != null && !clipsNode.isNull()) {
                if (!clipsNode.isArray()) {
                    problem(path + ".clips", "must be an array of clips, got " + type(clipsNode));
                } else if (clipsNode.size() > MAX_CLIPS_PER_TRACK) {
                    problem(path + ".clips", "at most " + MAX_CLIPS_PER_TRACK + " clips per track, got " + clipsNode.size());
                } else {
                    for (int j = 0; j < clipsNode.size(); j++) {
                        String clipPath = path + ".clips[" + j + "]";
                        Clip c = clip(clipsNode.get(j), clipPath, kind);
                        clips.add(c);
                        clipPaths.add(clipPath);
                    }
                }
            }
            overlaps(clips, clipPaths);
            return new Track(id, kind, clips.stream().filter(c -> c != null).toList());
        }

        /** Reports each clip that starts before an earlier clip of the same track has ended. */
        void overlaps(List<Clip> clips, List<String> paths) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < clips.size(); i++) {
                if (clips.get(i) != null && clips.get(i).duration() > 0) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparingDouble(i -> clips.get(i).start()));
            int latest = -1;
            for (int i : order) {
                Clip c = clips.get(i);
                if (latest >= 0 && c.start() < clips.get(latest).end() - OVERLAP_SLACK) {
                    Clip other = clips.get(latest);
                    problem(paths.get(i) + ".start", "overlaps clip '" + other.id() + "' (" + paths.get(latest)
                            + ") which runs until " + seconds(other.end()) + " on the same track");
                }
                if (latest < 0 || c.end() > clips.get(latest).end()) {
                    latest = i;
                }
            }
        }

        /** A clip, or null when a field is unusable (its problems are recorded). */
        Clip clip(JsonNode node, String path, TrackKind trackKind) {
            if (!node.isObject()) {
                problem(path, "a clip must be a JSON object, got " + type(node));
                return null;
            }
            int before = problems.size();
            String id = identifier(node, path, "c", clipIds);
            String assetId = string(node, path, "asset_id", true);
            Double start = number(node, path, "start", true);
            Double in = number(node, path, "in", true);
            Double out = number(node, path, "out", true);
            Double volume = number(node, path, "volume", false);
            Boolean muted = bool(node, path, "muted");
            if (start != null && start < 0) {
                problem(path + ".start", "must not be negative, got " + fmt(start));
            } else if (start != null && start > MAX_START) {
                problem(path + ".start", "must be at most " + seconds(MAX_START) + ", got " + fmt(start));
            }
            if (in != null && in < 0) {
                problem(path + ".in", "must not be negative, got " + fmt(in));
            }
            if (out != null && out < 0) {
                problem(path + ".out", "must not be negative, got " + fmt(out));
            } else if (in != null && out != null && in >= 0 && out <= in) {
                problem(path + ".out", "must be after in (" + fmt(in) + "), got " + fmt(out));
            }
            if (volume != null && (volume < 0 || volume > MAX_VOLUME)) {
                problem(path + ".volume", "must be from 0 to " + fmt(MAX_VOLUME) + ", got " + fmt(volume));
            }
            if (assetId != null) {
                Optional<Asset> asset = MediaRoot.isValidId(assetId) ? assets.find(assetId) : Optional.empty();
                if (asset.isEmpty()) {
                    problem(path + ".asset_id", "unknown asset '" + assetId + "'");
                } else {
                    fits(asset.get(), trackKind, path, in, out);
                }
            }
            if (problems.size() > before) {
                return null;
            }
            return new Clip(id, assetId, start, in, out, volume, muted != null && muted);
        }

        /** Checks that the asset can go on this kind of track and that the trim lies inside it. */
        void fits(Asset asset, TrackKind trackKind, String path, Double in, Double out) {
            if (trackKind == TrackKind.VIDEO && asset.kind() == AssetKind.AUDIO) {
                problem(path + ".asset_id", "asset '" + asset.assetId() + "' has no picture (audio only): put it on an audio track");
            } else if (trackKind == TrackKind.AUDIO && !asset.hasAudio()) {
                problem(path + ".asset_id", "asset '" + asset.assetId() + "' has no sound: put it on a video track");
            }
            Double duration = asset.durationS();
            if (asset.kind() == AssetKind.IMAGE || duration == null || in == null || out == null || in < 0 || out <= in) {
                return;
            }
            if (in >= duration) {
                problem(path + ".in", "starts at or after the end of asset '" + asset.assetId() + "' ("
                        + seconds(duration) + "), got " + fmt(in));
            } else if (out > duration + DURATION_SLACK) {
                problem(path + ".out", "goes past the end of asset '" + asset.assetId() + "' ("
                        + seconds(duration) + "), got " + fmt(out));
            }
        }

        /** An optional id (fresh when absent) that must be well formed and unique in the timeline. */
        String identifier(JsonNode node, String path, String prefix, Map<String, String> seen) {
            String id = string(node, path, "id", false);
            if (id == null) {
                return present(node, "id") ? null : MediaRoot.newId(prefix);
            }
            if (!MediaRoot.isValidId(id)) {
                problem(join(path, "id"), "malformed id: expected 1-64 letters, digits, '-' or '_'");
            } else if (seen.containsKey(id)) {
                problem(join(path, "id"), "duplicate id '" + id + "' (also at " + seen.get(id) + ")");
            } else {
                seen.put(id, path);
            }
            return id;
        }

        String string(JsonNode node, String path, String field, boolean required) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    problem(join(path, field), "missing");
                }
                return null;
            }
            if (!v.isTextual()) {
                problem(join(path, field), "must be a string, got " + type(v));
                return null;
            }
            return v.asText();
        }

        Double number(JsonNode node, String path, String field, boolean required) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    problem(join(path, field), "missing");
                }
                return null;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                problem(join(path, field), "must be a number, got " + type(v));
                return null;
            }
            return v.asDouble();
        }

        Integer integer(JsonNode node, String path, String field, int fallback, int min, int max) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
                problem(join(path, field), "must be a whole number, got " + type(v));
                return null;
            }
            double d = v.asDouble();
            if (d < min || d > max) {
                problem(join(path, field), "must be from " + min + " to " + max + ", got " + fmt(d));
                return null;
            }
            return (int) d;
        }

        /** An optional whole number of at least 0 (0 when absent), such as the revision a client saw. */
        Long wholeNumber(JsonNode node, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return 0L;
            }
            if (!v.isIntegralNumber() || v.asLong() < 0 || !v.canConvertToLong()) {
                problem(field, "must be a whole number of at least 0, got " + type(v));
                return 0L;
            }
            return v.asLong();
        }

        Boolean bool(JsonNode node, String path, String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                problem(join(path, field), "must be true or false, got " + type(v));
                return null;
            }
            return v.asBoolean();
        }

        static boolean present(JsonNode node, String field) {
            return node.has(field) && !node.get(field).isNull();
        }

        static String join(String path, String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        static String type(JsonNode v) {
            return switch (v.getNodeType()) {
                case STRING -> "a string";
                case NUMBER -> "the number " + v.asText();
                case BOOLEAN -> v.asText();
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                case NULL -> "null";
                default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
            };
        }

        static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
