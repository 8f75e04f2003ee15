package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import java.util.List;
import java.util.Optional;

/**
 * Where asset records live: the one part of an {@link AssetStore} another backend replaces.
 * Receiving, probing, checking and storing the media file stays shared core code
 * ({@link AssetStore#withMetadata}); an implementation only keeps {@link Asset} records, for
 * example as rows of a database table. Every method may be called from many threads (and, for
 * a shared backend, from many processes at once).
 */
public interface AssetMetadata {

    /** Records as JSON files next to the media, {@code media/video_assets/{asset_id}.json}. */
    static AssetMetadata onDisk(MediaRoot root) {
        return new JsonAssetMetadata(root);
    }

    /** Stores a new record durably (crash-safe: all or nothing) before returning. */
    void put(Asset asset);

    /** The record of this id; the id is well formed (callers check it first). */
    Optional<Asset> get(String assetId);

    /** The records of one tenant, or of every tenant when {@code tenant} is null, oldest first (then by id). */
    List<Asset> list(String tenant);

    /** Removes a record; false when there was none. */
    boolean remove(String assetId);
}
