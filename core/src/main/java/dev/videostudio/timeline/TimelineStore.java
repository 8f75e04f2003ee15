package dev.videostudio.timeline;

/**
 * Saved timelines, with their revision and the state of their proxy preview. (Being built:
 * see issue 4.)
 */
public interface TimelineStore {

    /** True when a saved timeline has a clip of this asset (such an asset cannot be deleted). */
    boolean usesAsset(String assetId);
}
