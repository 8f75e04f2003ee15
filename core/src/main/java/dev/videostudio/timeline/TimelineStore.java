package dev.videostudio.timeline;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import java.util.List;
import java.util.Optional;

/**
 * Saved timelines, with their revision and the state of their proxy preview. Every save is
 * validated whole first ({@link TimelineJson#validate}, with the assets of the draft's tenant):
 * an invalid timeline is never half saved.
 *
 * <p>Another implementation (for example over a database) reuses the shared rules: validate with
 * {@link TimelineJson#validate}{@code (draft, assets.forTenant(draft.tenant()))}, then apply
 * {@link TimelineRecord#create} / {@link TimelineRecord#update} / {@link TimelineRecord#withPreview}
 * and store the {@link TimelineRecord} (its {@link TimelineRecord#toJson() JSON form} fits one
 * column). It only has to serialise the saves of one timeline (a row lock) and make
 * {@link #runIfUnused} atomic across every process of the deployment (one transaction), since an
 * in-JVM lock does not hold back another server's saves.
 */
public interface TimelineStore {

    /**
     * The default store: one JSON file per timeline under {@code media/timelines/}, written
     * crash-safely, read back at start. Single process: two servers must not share it.
     *
     * @param assets the assets clips may use (checked on every save, scoped to the draft's tenant)
     */
    static TimelineStore onDisk(MediaRoot root, AssetLookup assets) {
        return new FileTimelineStore(root, assets);
    }

    /**
     * Creates a timeline when {@code draft.timelineId()} is null, otherwise replaces the saved one.
     * Bumps the revision (1 for a new timeline); when the content changed ({@link TimelineHash})
     * a {@code ready} preview becomes {@code stale} (keeping its url), otherwise the preview is kept;
     * a {@code stale} preview is {@code ready} again when the content is back to what the proxy shows.
     * The draft's tenant owns the timeline; its revision, when above 0, must be the stored one
     * (optimistic concurrency); its preview and dates are ignored.
     *
     * @throws StudioException 422 {@code invalid_timeline} with one detail per problem (an asset of
     *                         another tenant is an unknown asset), 404 when the given id is not a
     *                         saved timeline of the draft's tenant, 409 {@code revision_conflict}
     *                         when the draft's revision is not the stored one
     */
    Timeline save(Timeline draft);

    /** The saved timeline, of any tenant (callers check {@link Timeline#tenant()}); a malformed id is a 400. */
    Optional<Timeline> find(String timelineId);

    /** The saved timeline, or a 404 {@code not_found}; a malformed id is a 400. */
    default Timeline get(String timelineId) {
        return find(timelineId).orElseThrow(() -> StudioException.notFound("timeline", timelineId));
    }

    /** The saved timelines of one tenant, oldest first; {@code null} lists every tenant's. */
    List<Timeline> list(String tenant);

    /**
     * Removes a saved timeline's record (its proxy files are the proxy service's). Assets it used
     * are free again.
     *
     * @return false when there was no such timeline
     * @throws StudioException 400 for a malformed id
     */
    boolean delete(String timelineId);

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
     * asset, holding saves back meanwhile so that none starts using it half way. This is the one
     * cross-store rule a store must make atomic: the file store holds its save lock; a store
     * shared by several processes runs the check and the action in one transaction (locking the
     * asset against concurrent saves), since an in-JVM lock cannot hold back another process.
     *
     * @return false, without running {@code action}, when a saved timeline uses the asset
     */
    boolean runIfUnused(String assetId, Runnable action);
}
