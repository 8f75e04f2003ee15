package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asset records as {@code media/video_assets/{asset_id}.json}, all read at start and held in
 * memory (they are small). Writes go to disk (temporary file, then rename) before memory.
 */
final class JsonAssetMetadata implements AssetMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(JsonAssetMetadata.class);
    static final String SUFFIX = ".json";

    private final MediaRoot root;
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    JsonAssetMetadata(MediaRoot root) {
        this.root = root;
        load();
    }

    @Override
    public void put(Asset asset) {
        try {
            MediaRoot.writeAtomically(file(asset.assetId()), StudioJson.mapper().writeValueAsBytes(asset));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of asset " + asset.assetId(), e);
        }
        assets.put(asset.assetId(), asset);
    }

    @Override
    public Optional<Asset> get(String assetId) {
        return Optional.ofNullable(assets.get(assetId));
    }

    @Override
    public List<Asset> list(String tenant) {
        return assets.values().stream()
                .filter(a -> tenant == null || tenant.equals(a.tenant()))
                .sorted(Comparator.comparing(Asset::createdAt).thenComparing(Asset::assetId))
                .toList();
    }

    @Override
    public boolean remove(String assetId) {
        if (assets.remove(assetId) == null) {
            return false;
        }
        try {
            Files.deleteIfExists(file(assetId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the record of asset " + assetId, e);
        }
        return true;
    }

    private Path file(String id) {
        return root.assets().resolve(id + SUFFIX);
    }

    /** Reads every record whose media file exists; others are logged and left for a person to look at. */
    private void load() {
        Path folder = root.assets();
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(SUFFIX) || name.startsWith(".")) {
                    continue;
                }
                try {
                    Asset a = StudioJson.mapper().readValue(f.toFile(), Asset.class);
                    if (MediaRoot.isValidId(a.assetId()) && a.storedName() != null
                            && a.storedName().equals(Path.of(a.storedName()).getFileName().toString())
                            && Files.isRegularFile(folder.resolve(a.storedName()))) {
                        assets.put(a.assetId(), a);
                    } else {
                        LOG.warn("ignoring asset metadata {}: its media file is missing", f);
                    }
                } catch (IOException e) {
                    LOG.warn("ignoring unreadable asset metadata {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        LOG.info("{} assets loaded from {}", assets.size(), folder);
    }
}
