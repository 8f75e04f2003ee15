package dev.videostudio.timeline;

import java.time.Instant;
import java.util.List;

/**
 * An edit: video tracks stack (a later track is on top), audio of all tracks mixes, gaps are
 * black and silent.
 *
 * @param timelineId   null before the first save
 * @param revision     bumped by every save
 * @param proxyPreview the state of this timeline's proxy preview
 */
public record Timeline(
        String timelineId,
        String name,
        int width,
        int height,
        double fps,
        List<Track> tracks,
        long revision,
        ProxyPreview proxyPreview,
        Instant createdAt,
        Instant updatedAt) {

    public Timeline {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
    }

    /** The end of the last clip, in seconds. */
    public double duration() {
        return tracks.stream().flatMap(t -> t.clips().stream()).mapToDouble(Clip::end).max().orElse(0);
    }
}
