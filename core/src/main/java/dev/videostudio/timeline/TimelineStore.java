package dev.videostudio.timeline;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import java.util.List;
import java.util.Optional;

/**
 * Saved timelines, with their revision and the state of their proxy preview. Every save is
 * validated whole first ({@link TimelineJson}): an invalid timeline is never half saved.
 */
public interface TimelineStore {

    /**
     * The default store: one JSON file per timeline under {@code media/timelines/}, written
     * crash-safely, read back at start.
     *
     * @param assets the assets clips may use (checked on every save)
     */
    static TimelineStore onDisk(MediaRoot root, AssetLookup assets) {
        return new FileTimelineStore(root, assets);
    }

    /**
     * Creates a timeline when {@code draft.timelineId()} is null, otherwise replaces the saved one.
     * Bumps the revision (1 for a new timeline); when the content changed ({@link TimelineHash})
     * a {@code ready} preview becomes {@code stale} (keeping its url), otherwise the preview is kept;
     * a {@code stale} preview is {@code ready} again when the content is back to what the proxy shows.
     * The draft's revision, preview and dates are ignored.
     *
     * @throws StudioException 422 {@code invalid_timeline} with one detail per problem, 404 when
     *                         the given id is not a saved timeline
     */
    Timeline save(Timeline draft);

    /** The saved timeline; a malformed id is a 400. */
    Optional<Timeline> find(String timelineId);

    /** The saved timeline, or a 404 {@code not_found}; a malformed id is a 400. */
    default Timeline get(String timelineId) {
        return find(timelineId).orElseThrow(() -> StudioException.notFound("timeline", timelineId));
    }

    /** All saved timelines, oldest first. */
    List<Timeline> list();

    /**
     * Records the state of a timeline's proxy preview (progress, ready, failed) without bumping
     * the revision. A {@code ready} preview for a revision older than the last content change is
     * stored as {@code stale}: the proxy shows an earlier edit.
     *
     * @return the timeline with the preview as stored
     * @throws StudioException 404 when the timeline does not exist
     */
    Timeline updatePreview(String timelineId, ProxyPreview preview);

    /** True when a saved timeline has a clip of this asset (such an asset cannot be deleted). */
    boolean usesAsset(String assetId);

    /**
     * Runs {@code action} (for example deleting the asset) only when no saved timeline uses the
     * asset, holding saves back meanwhile so that none starts using it half way.
     *
     * @return false, without running {@code action}, when a saved timeline uses the asset
     */
    boolean runIfUnused(String assetId, Runnable action);
}
