package dev.videostudio.timeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Timeline to OpenTimelineIO JSON; see {@link Otio}. */
final class OtioExporter {

    static final String META = "videostudio";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final AssetLookup assets;
    private final Function<Asset, String> targetUrl;
    private double rate;

    OtioExporter(AssetLookup assets, Function<Asset, String> targetUrl) {
        this.assets = assets;
        this.targetUrl = targetUrl;
    }

    ObjectNode write(Timeline t) {
        rate = t.fps();
        ObjectNode root = object("Timeline.1", t.name());
        ObjectNode meta = root.putObject("metadata").putObject(META);
        if (t.timelineId() != null) {
            meta.put("timeline_id", t.timelineId());
            meta.put("revision", t.revision());
        }
        meta.put("width", t.width()).put("height", t.height()).put("fps", t.fps());
        root.putNull("global_start_time");
        ObjectNode stack = item("Stack.1", "tracks");
        root.set("tracks", stack);
        ArrayNode children = stack.putArray("children");
        List<ObjectNode> soundTracks = new ArrayList<>();
        for (Track track : t.tracks()) {
            children.add(track(track, track.clips(), track.kind(), null));
            if (track.kind() == TrackKind.VIDEO) {
                // OpenTimelineIO video tracks are picture only: their clips' sound goes on an audio track
                List<Clip> sounding = track.clips().stream().filter(c -> !c.muted() && hasAudio(c)).toList();
                if (!sounding.isEmpty()) {
                    soundTracks.add(track(track, sounding, TrackKind.AUDIO, track.id()));
                }
            }
        }
        soundTracks.forEach(children::add);
        return root;
    }

    private boolean hasAudio(Clip c) {
        return assets.find(c.assetId()).map(Asset::hasAudio).orElse(false);
    }

    private ObjectNode track(Track track, List<Clip> clips, TrackKind kind, String audioOf) {
        ObjectNode node = item("Track.1", audioOf == null ? track.id() : track.id() + " sound");
        ObjectNode meta = metadata(node).putObject(META);
        if (audioOf == null) {
            meta.put("track_id", track.id());
        } else {
            meta.put("audio_of", audioOf);
        }
        node.put("kind", kind == TrackKind.VIDEO ? "Video" : "Audio");
        ArrayNode children = node.putArray("children");
        double cursor = 0;
        for (Clip c : clips.stream().sorted(Comparator.comparingDouble(Clip::start)).toList()) {
            if (c.start() > cursor + 1e-9) {
                ObjectNode gap = item("Gap.1", "");
                gap.set("source_range", range(0, c.start() - cursor));
                children.add(gap);
            }
            children.add(clip(c));
            cursor = c.end();
        }
        return node;
    }

    private ObjectNode clip(Clip c) {
        Optional<Asset> asset = assets.find(c.assetId());
        ObjectNode node = item("Clip.2", asset.map(Asset::filename).orElse(c.assetId()));
        ObjectNode meta = metadata(node).putObject(META);
        meta.put("clip_id", c.id()).put("asset_id", c.assetId()).put("muted", c.muted());
        if (c.volume() != null) {
            meta.put("volume", c.volume());
        }
        node.set("source_range", range(c.sourceIn(), c.duration()));
        ObjectNode ref;
        if (asset.isPresent()) {
            Asset a = asset.get();
            ref = object("ExternalReference.1", a.filename());
            ref.put("target_url", targetUrl.apply(a));
            if (a.kind() != AssetKind.IMAGE && a.durationS() != null) {
                ref.set("available_range", range(0, a.durationS()));
            } else {
                ref.putNull("available_range");
            }
        } else {
            ref = object("MissingReference.1", c.assetId());
            ref.putNull("available_range");
        }
        metadata(ref).putObject(META).put("asset_id", c.assetId());
        node.putObject("media_references").set("DEFAULT_MEDIA", ref);
        node.put("active_media_reference_key", "DEFAULT_MEDIA");
        return node;
    }

    private ObjectNode range(double start, double duration) {
        ObjectNode r = NODES.objectNode().put("OTIO_SCHEMA", "TimeRange.1");
        r.set("duration", time(duration));
        r.set("start_time", time(start));
        return r;
    }

    private ObjectNode time(double seconds) {
        double value = Math.round(seconds * rate * 1e6) / 1e6;
        ObjectNode n = NODES.objectNode().put("OTIO_SCHEMA", "RationalTime.1").put("rate", rate);
        if (value == Math.rint(value)) {
            n.put("value", (long) value);
        } else {
            n.put("value", value);
        }
        return n;
    }

    private static ObjectNode metadata(ObjectNode node) {
        return (ObjectNode) node.get("metadata");
    }

    private static ObjectNode object(String schema, String name) {
        ObjectNode n = NODES.objectNode().put("OTIO_SCHEMA", schema);
        n.putObject("metadata");
        n.put("name", name);
        return n;
    }

    /** An OpenTimelineIO item: with source_range, effects, markers and enabled, as the format writes them. */
    private static ObjectNode item(String schema, String name) {
        ObjectNode n = object(schema, name);
        n.putNull("source_range");
        n.putArray("effects");
        n.putArray("markers");
        n.put("enabled", true);
        return n;
    }
}
