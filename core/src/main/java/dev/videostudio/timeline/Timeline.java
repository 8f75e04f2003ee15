package dev.videostudio.timeline;

import java.time.Instant;
import java.util.List;

/**
 * An edit: video tracks stack (a later track is on top), audio of all tracks mixes, gaps are
 * black and silent. Read and checked from JSON by {@link TimelineJson}; its content hash is
 * {@link TimelineHash#of}.
 *
 * @param timelineId   null before the first save
 * @param name         for people; "Untitled" by default
 * @param width        frame width in pixels (16..7680, 1280 by default)
 * @param height       frame height in pixels (16..4320, 720 by default)
 * @param fps          frames per second (1..120, 30 by default)
 * @param revision     bumped by every save (1 after the first); in a draft, the revision the
 *                     client last saw (0: none, the save replaces whatever is stored)
 * @param proxyPreview the state of this timeline's proxy preview
 * @param tenant       who owns it ({@link dev.videostudio.VideoStudio#DEFAULT_TENANT} when not given)
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
        Instant updatedAt,
        String tenant) {

    public Timeline {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
        tenant = tenant == null ? dev.videostudio.VideoStudio.DEFAULT_TENANT : tenant;
    }

    /** An unsaved timeline (no id, revision 0, no preview). */
    public static Timeline draft(String name, int width, int height, double fps, List<Track> tracks) {
        return new Timeline(null, name, width, height, fps, tracks, 0, null, null, null, null);
    }

    /** The end of the last clip, in seconds. */
    public double duration() {
        return tracks.stream().flatMap(t -> t.clips().stream()).mapToDouble(Clip::end).max().orElse(0);
    }

    /** This timeline with another id (for example null to save it as a new timeline). */
    public Timeline withTimelineId(String id) {
        return new Timeline(id, name, width, height, fps, tracks, revision, proxyPreview, createdAt, updatedAt, tenant);
    }

    /** This timeline with another preview state. */
    public Timeline withProxyPreview(ProxyPreview preview) {
        return new Timeline(timelineId, name, width, height, fps, tracks, revision, preview, createdAt, updatedAt, tenant);
    }

    /** This timeline owned by another tenant. */
    public Timeline withTenant(String owner) {
        return new Timeline(timelineId, name, width, height, fps, tracks, revision, proxyPreview, createdAt, updatedAt, owner);
    }

    /** This timeline with another revision (a draft: the revision the client last saw). */
    public Timeline withRevision(long rev) {
        return new Timeline(timelineId, name, width, height, fps, tracks, rev, proxyPreview, createdAt, updatedAt, tenant);
    }
}
