package dev.videostudio.timeline;

import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The assets a timeline may use, as timeline validation and OpenTimelineIO mapping see them.
 * An {@link AssetStore} is one ({@link #of(AssetStore)}); a command-line tool or a test can pass
 * a fixed list.
 */
public interface AssetLookup {

    /** The asset with this id, if it exists. */
    Optional<Asset> find(String assetId);

    /** Every asset (used to map OpenTimelineIO media references by URL or file name). */
    List<Asset> list();

    /** The assets of this lookup that belong to {@code tenant}; others are unknown. */
    default AssetLookup forTenant(String tenant) {
        AssetLookup all = this;
        return new AssetLookup() {
            @Override
            public Optional<Asset> find(String assetId) {
                return all.find(assetId).filter(a -> a.tenant().equals(tenant));
            }

            @Override
            public List<Asset> list() {
                return all.list().stream().filter(a -> a.tenant().equals(tenant)).toList();
            }
        };
    }

    /** The assets of a store, of every tenant, always current. */
    static AssetLookup of(AssetStore store) {
        return new AssetLookup() {
            @Override
            public Optional<Asset> find(String assetId) {
                return store.find(assetId);
            }

            @Override
            public List<Asset> list() {
                return store.list(null);
            }
        };
    }

    /** The assets of one tenant in a store, always current. */
    static AssetLookup of(AssetStore store, String tenant) {
        return new AssetLookup() {
            @Override
            public Optional<Asset> find(String assetId) {
                return store.find(assetId).filter(a -> a.tenant().equals(tenant));
            }

            @Override
            public List<Asset> list() {
                return store.list(tenant);
            }
        };
    }

    /** A fixed set of assets. */
    static AssetLookup of(Collection<Asset> assets) {
        List<Asset> copy = List.copyOf(assets);
        return new AssetLookup() {
            @Override
            public Optional<Asset> find(String assetId) {
                return copy.stream().filter(a -> a.assetId().equals(assetId)).findFirst();
            }

            @Override
            public List<Asset> list() {
                return copy;
            }
        };
    }
}
