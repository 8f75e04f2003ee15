package dev.videostudio.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** OpenTimelineIO JSON to a checked timeline draft; see {@link Otio}. */
final class OtioImporter {

    private static final String META = OtioExporter.META;
    static final String ASSET_PATH = "/media/video_assets/";
    private static final double SAME_TIME = 1e-6;

    /** A track being read, with where it came from. */
    private record PendingTrack(String id, TrackKind kind, String audioOf, List<PendingClip> clips, String path) {
    }

    /**
     * A clip being read.
     *
     * @param sourceId the clip id the file carried, used to find its sound
     * @param foreign  true when no studio metadata said whether it is muted (a video clip is then
     *                 muted until its sound is found on an audio track)
     */
    private record PendingClip(Clip clip, String sourceId, String path, boolean foreign) {
        PendingClip heard(Double volume) {
            Clip c = clip;
            return new PendingClip(new Clip(c.id(), c.assetId(), c.start(), c.sourceIn(), c.sourceOut(),
                    volume != null ? volume : c.volume(), false), sourceId, path, foreign);
        }

        /** Same asset, place and trim. */
        boolean sameAs(Clip o) {
            return clip.assetId().equals(o.assetId()) && same(clip.start(), o.start())
                    && same(clip.sourceIn(), o.sourceIn()) && same(clip.sourceOut(), o.sourceOut());
        }
    }

    private record Range(double start, double duration) {
    }

    private final AssetLookup assets;
    private final List<ErrorDetail> errors = new ArrayList<>();
    private final List<ErrorDetail> warnings = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private Double firstRate;

    OtioImporter(AssetLookup assets) {
        this.assets = assets;
    }

    Otio.Imported read(JsonNode root) {
        if (root == null || !root.isObject() || !schema(root).startsWith("Timeline.")) {
            throw TimelineJson.invalid(List.of(new ErrorDetail("OTIO_SCHEMA",
                    "not an OpenTimelineIO timeline: expected Timeline.1, got " + (root != null && root.isObject() ? "'" + schema(root) + "'" : "no object"))));
        }
        List<PendingTrack> tracks = new ArrayList<>();
        JsonNode stack = root.get("tracks");
        if (stack == null || !stack.isObject() || !schema(stack).startsWith("Stack.")) {
            error("tracks", "expected a Stack.1 of tracks");
        } else {
            extras(stack, "tracks");
            JsonNode children = stack.path("children");
            for (int i = 0; i < children.size(); i++) {
                JsonNode child = children.get(i);
                String path = "tracks.children[" + i + "]";
                if (schema(child).startsWith("Track.")) {
                    track(child, path).ifPresent(tracks::add);
                } else {
                    warn(path, "a " + describe(child) + " directly in the top stack is not supported (only tracks are): ignored");
                }
            }
        }
        Set<String> emptied = joinSound(tracks);
        long mutedForeignClips = tracks.stream().filter(t -> t.kind() == TrackKind.VIDEO).flatMap(t -> t.clips().stream())
                .filter(c -> c.foreign() && c.clip().muted() && assets.find(c.clip().assetId()).map(Asset::hasAudio).orElse(false))
                .count();
        if (mutedForeignClips > 0) {
            warn("tracks", mutedForeignClips + " video clips are imported muted: OpenTimelineIO video tracks carry"
                    + " picture only, their sound belongs on audio tracks");
        }
        if (!errors.isEmpty()) {
            throw TimelineJson.invalid(errors);
        }
        JsonNode meta = root.path("metadata").path(META);
        String name = root.path("name").asText("").isBlank() ? TimelineJson.DEFAULT_NAME : root.path("name").asText();
        double fps = meta.path("fps").isNumber() ? meta.path("fps").asDouble() : defaultFps();
        List<Track> built = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (PendingTrack t : tracks) {
            if (emptied.contains(t.id())) {
                continue; // all of its sound went back to its video clips
            }
            String ours = "tracks[" + built.size() + "]";
            origins.put(ours, t.path());
            for (int j = 0; j < t.clips().size(); j++) {
                origins.put(ours + ".clips[" + j + "]", t.clips().get(j).path());
            }
            built.add(new Track(t.id(), t.kind(), t.clips().stream().map(PendingClip::clip).toList()));
        }
        Timeline draft = Timeline.draft(name,
                meta.path("width").isInt() ? meta.path("width").asInt() : TimelineJson.DEFAULT_WIDTH,
                meta.path("height").isInt() ? meta.path("height").asInt() : TimelineJson.DEFAULT_HEIGHT,
                fps, built);
        try {
            return new Otio.Imported(TimelineJson.validate(draft, assets), warnings);
        } catch (StudioException e) {
            if (e.problem() != StudioException.Problem.INVALID) {
                throw e;
            }
            throw TimelineJson.invalid(e.details().stream().map(d -> inDocument(d, origins)).toList());
        }
    }

    /** The timeline's fps when the file does not say: the rate of its first time value. */
    private double defaultFps() {
        if (firstRate == null) {
            return TimelineJson.DEFAULT_FPS;
        }
        if (firstRate < TimelineJson.MIN_FPS || firstRate > TimelineJson.MAX_FPS) {
            warn("tracks", "time rate " + firstRate + " is not a usable frame rate: the timeline uses "
                    + TimelineJson.DEFAULT_FPS + " fps");
            return TimelineJson.DEFAULT_FPS;
        }
        return firstRate;
    }

    /** A problem found in the built timeline, named at its place in the .otio document. */
    private static ErrorDetail inDocument(ErrorDetail d, Map<String, String> origins) {
        String best = null;
        for (String ours : origins.keySet()) {
            if ((d.path().equals(ours) || d.path().startsWith(ours + ".")) && (best == null || ours.length() > best.length())) {
                best = ours;
            }
        }
        if (best == null) {
            return d.path().matches("width|height|fps") ? new ErrorDetail("metadata." + META + "." + d.path(), d.message()) : d;
        }
        String field = d.path().substring(best.length());
        return new ErrorDetail(origins.get(best), field.isEmpty() ? d.message() : field.substring(1) + ": " + d.message());
    }

    private Optional<PendingTrack> track(JsonNode node, String path) {
        String kindText = node.path("kind").asText("");
        TrackKind kind = switch (kindText) {
            case "Video" -> TrackKind.VIDEO;
            case "Audio" -> TrackKind.AUDIO;
            default -> null;
        };
        int items = node.path("children").size();
        if (kind == null) {
            warn(path + ".kind", "track kind '" + kindText + "' is not supported (Video or Audio): track of " + items + " items ignored");
            return Optional.empty();
        }
        if (node.path("enabled").isBoolean() && !node.path("enabled").asBoolean()) {
            warn(path + ".enabled", "disabled track of " + items + " items ignored");
            return Optional.empty();
        }
        extras(node, path);
        JsonNode meta = node.path("metadata").path(META);
        String id = freshId(meta.path("track_id").asText(null), "t");
        String audioOf = kind == TrackKind.AUDIO ? meta.path("audio_of").asText(null) : null;
        PendingTrack track = new PendingTrack(id, kind, audioOf, new ArrayList<>(), path);
        double cursor = 0;
        JsonNode children = node.path("children");
        for (int j = 0; j < children.size(); j++) {
            JsonNode item = children.get(j);
            String itemPath = path + ".children[" + j + "]";
            String schema = schema(item);
            if (schema.startsWith("Clip.")) {
                cursor += clip(item, itemPath, track, cursor);
            } else if (schema.startsWith("Gap.")) {
                Range r = range(item.get("source_range"), itemPath + ".source_range");
                cursor += r == null ? 0 : r.duration();
            } else if (schema.startsWith("Transition.")) {
                warn(itemPath, "transition '" + item.path("name").asText("") + "' ("
                        + item.path("transition_type").asText("?") + ") is not supported: imported as a cut");
            } else {
                double d = length(item);
                warn(itemPath, "a " + describe(item) + " inside a track is not supported: left as a gap of "
                        + TimelineJson.seconds(d));
                cursor += d;
            }
        }
        return Optional.of(track);
    }

    /** Reads one clip into {@code track}; returns its length on the timeline. */
    private double clip(JsonNode item, String path, PendingTrack track, double start) {
        String name = item.path("name").asText("");
        boolean clip2 = !schema(item).equals("Clip.1") && item.has("media_references");
        String key = item.path("active_media_reference_key").asText("DEFAULT_MEDIA");
        JsonNode ref = clip2 ? item.path("media_references").get(key) : item.get("media_reference");
        String refPath = clip2 ? path + ".media_references." + key : path + ".media_reference";
        JsonNode available = ref == null ? null : ref.get("available_range");
        boolean hasRange = item.hasNonNull("source_range");
        Range availableRange = available == null || available.isNull() ? null : range(available, refPath + ".available_range");
        if (!hasRange && availableRange == null) {
            error(path + ".source_range", "clip '" + name + "' has no source_range and its media no available_range: its length is unknown");
            return 0;
        }
        Range r = hasRange ? range(item.get("source_range"), path + ".source_range") : availableRange;
        if (r == null) {
            return 0;
        }
        double in = round(r.start() - (availableRange == null ? 0 : availableRange.start()));
        JsonNode effects = item.path("effects");
        for (int k = 0; k < effects.size(); k++) {
            JsonNode e = effects.get(k);
            warn(path + ".effects[" + k + "]", "effect '" + e.path("effect_name").asText(schema(e)) + "' is not supported: not applied");
        }
        if (item.path("markers").size() > 0) {
            warn(path + ".markers", item.path("markers").size() + " markers are not imported");
        }
        String refSchema = ref == null || ref.isNull() ? "" : schema(ref);
        if (refSchema.isEmpty() || refSchema.startsWith("MissingReference.")) {
            warn(refPath, "clip '" + name + "' has no media (missing reference): left as a gap of " + TimelineJson.seconds(r.duration()));
            return r.duration();
        }
        if (!refSchema.startsWith("ExternalReference.")) {
            warn(refPath, "media reference " + refSchema + " of clip '" + name + "' is not supported: left as a gap of "
                    + TimelineJson.seconds(r.duration()));
            return r.duration();
        }
        boolean enabled = !item.path("enabled").isBoolean() || item.path("enabled").asBoolean();
        if (!enabled && track.kind() == TrackKind.VIDEO) {
            warn(path + ".enabled", "disabled video clip '" + name + "' left as a gap");
            return r.duration();
        }
        Optional<Asset> asset = resolve(item, ref, refPath);
        if (asset.isEmpty()) {
            return r.duration();
        }
        JsonNode meta = item.path("metadata").path(META);
        String sourceId = meta.path("clip_id").asText(null);
        Double volume = meta.path("volume").isNumber() ? meta.path("volume").asDouble() : null;
        boolean foreign = !meta.path("muted").isBoolean();
        // a foreign video clip is picture only; its sound, if any, is on an audio track
        boolean muted = !enabled || (foreign ? track.kind() == TrackKind.VIDEO : meta.path("muted").asBoolean());
        Clip c = new Clip(freshId(sourceId, "c"), asset.get().assetId(), round(start), in, round(in + r.duration()), volume, muted);
        track.clips().add(new PendingClip(c, sourceId, path, foreign && enabled));
        return r.duration();
    }

    /**
     * Gives sound on audio tracks back to the video clips it belongs to: this studio's companion
     * tracks by clip id, and a foreign audio clip that has the same asset, place and trim as a
     * muted foreign video clip (the linked picture and sound of an editor's cut).
     */
    private Set<String> joinSound(List<PendingTrack> tracks) {
        Set<String> emptied = new HashSet<>();
        List<PendingTrack> videoTracks = tracks.stream().filter(t -> t.kind() == TrackKind.VIDEO).toList();
        for (PendingTrack sound : tracks) {
            if (sound.kind() != TrackKind.AUDIO || sound.clips().isEmpty()) {
                continue;
            }
            boolean removed = sound.clips().removeIf(s -> {
                for (PendingTrack video : videoTracks) {
                    boolean companion = sound.audioOf() != null && sound.audioOf().equals(video.id());
                    List<PendingClip> vclips = video.clips();
                    for (int i = 0; i < vclips.size(); i++) {
                        PendingClip v = vclips.get(i);
                        boolean ours = companion && s.sourceId() != null && s.sourceId().equals(v.sourceId());
                        boolean linked = s.foreign() && v.foreign() && v.clip().muted() && !s.clip().muted();
                        if ((ours || linked) && v.sameAs(s.clip())) {
                            vclips.set(i, v.heard(s.clip().volume()));
                            ids.remove(s.clip().id());
                            return true;
                        }
                    }
                }
                return false;
            });
            if (removed && sound.clips().isEmpty()) {
                emptied.add(sound.id());
            }
        }
        return emptied;
    }

    /** The asset a media reference means: by studio metadata, by a /media/video_assets/ URL, then by file name. */
    private Optional<Asset> resolve(JsonNode clip, JsonNode ref, String refPath) {
        for (JsonNode id : List.of(clip.path("metadata").path(META).path("asset_id"), ref.path("metadata").path(META).path("asset_id"))) {
            if (id.isTextual() && MediaRoot.isValidId(id.asText())) {
                Optional<Asset> a = assets.find(id.asText());
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        String url = ref.path("target_url").asText("");
        if (url.isBlank()) {
            error(refPath + ".target_url", "the media reference has no target_url");
            return Optional.empty();
        }
        String plain = url.replaceAll("[?#].*$", "");
        List<Asset> all = assets.list();
        int at = plain.indexOf(ASSET_PATH);
        if (at >= 0) {
            String stored = decode(plain.substring(at + ASSET_PATH.length()));
            Optional<Asset> a = all.stream().filter(x -> stored.equals(x.storedName())).findFirst();
            if (a.isPresent()) {
                return a;
            }
        }
        String file = decode(plain.substring(Math.max(plain.lastIndexOf('/'), plain.lastIndexOf('\\')) + 1));
        List<Asset> named = all.stream().filter(x -> file.equals(x.filename()) || file.equals(x.storedName())).toList();
        if (named.isEmpty()) {
            named = all.stream().filter(x -> file.equalsIgnoreCase(x.filename())).toList();
        }
        if (named.isEmpty()) {
            error(refPath + ".target_url", "no uploaded asset matches '" + url + "' (by asset id, "
                    + ASSET_PATH + " path or file name '" + file + "'): upload the file first");
            return Optional.empty();
        }
        Asset chosen = named.get(named.size() - 1);
        if (named.size() > 1) {
            warn(refPath + ".target_url", named.size() + " assets are called '" + file + "': using the newest, '"
                    + chosen.assetId() + "'");
        }
        return Optional.of(chosen);
    }

    /** A TimeRange.1 in seconds, or null (with an error) when malformed. */
    private Range range(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "expected a TimeRange.1");
            return null;
        }
        Double start = time(node.get("start_time"), path + ".start_time");
        Double duration = time(node.get("duration"), path + ".duration");
        if (start == null || duration == null) {
            return null;
        }
        if (duration < 0) {
            error(path + ".duration", "must not be negative");
            return null;
        }
        return new Range(start, duration);
    }

    /** A RationalTime.1 in seconds (microsecond precision), or null (with an error). */
    private Double time(JsonNode node, String path) {
        if (node == null || !node.isObject() || !node.path("rate").isNumber() || !node.path("value").isNumber()) {
            error(path, "expected a RationalTime.1 with numbers rate and value");
            return null;
        }
        double rate = node.get("rate").asDouble();
        double value = node.get("value").asDouble();
        if (!(rate > 0) || !Double.isFinite(rate) || !Double.isFinite(value)) {
            error(path, "rate must be positive and value finite, got " + rate + " and " + value);
            return null;
        }
        if (firstRate == null) {
            firstRate = rate;
        }
        return round(value / rate);
    }

    /** The length of an item the studio cannot use (nested stack or track...), to keep later clips in place. */
    private static double length(JsonNode item) {
        JsonNode range = item.path("source_range");
        if (range.isObject() && range.path("duration").path("rate").asDouble() > 0) {
            return round(range.path("duration").path("value").asDouble() / range.path("duration").path("rate").asDouble());
        }
        String schema = schema(item);
        double total = 0;
        for (JsonNode child : item.path("children")) {
            if (schema.startsWith("Stack.")) {
                total = Math.max(total, length(child));
            } else if (!schema(child).startsWith("Transition.")) {
                total += length(child);
            }
        }
        return total;
    }

    /** Warns about what an item carries that the studio does not apply. */
    private void extras(JsonNode node, String path) {
        if (node.hasNonNull("source_range")) {
            warn(path + ".source_range", "trimming a " + describe(node) + " is not supported: ignored, all of it is imported");
        }
        if (node.path("effects").size() > 0) {
            warn(path + ".effects", node.path("effects").size() + " effects are not supported: not applied");
        }
        if (node.path("markers").size() > 0) {
            warn(path + ".markers", node.path("markers").size() + " markers are not imported");
        }
    }

    /** The id the file gave when usable and unused, else a fresh one. */
    private String freshId(String wanted, String prefix) {
        String id = wanted != null && MediaRoot.isValidId(wanted) && !ids.contains(wanted) ? wanted : MediaRoot.newId(prefix);
        ids.add(id);
        return id;
    }

    private static String schema(JsonNode node) {
        return node == null ? "" : node.path("OTIO_SCHEMA").asText("");
    }

    private static String describe(JsonNode node) {
        String name = node.path("name").asText("");
        return schema(node) + (name.isEmpty() ? "" : " '" + name + "'");
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) < SAME_TIME;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private void error(String path, String message) {
        errors.add(new ErrorDetail(path, message));
    }

    private void warn(String path, String message) {
        warnings.add(new ErrorDetail(path, message));
    }
}
