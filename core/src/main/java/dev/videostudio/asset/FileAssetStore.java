package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Placeholder until issue 2 lands: stores nothing. */
final class FileAssetStore implements AssetStore {

    private final MediaRoot root;

    FileAssetStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        this.root = root;
    }

    @Override
    public Asset ingest(String filename, InputStream content) {
        throw new StudioException(StudioException.Problem.UNAVAILABLE, "not_implemented", "uploads are not built yet");
    }

    @Override
    public Optional<Asset> find(String assetId) {
        return Optional.empty();
    }

    @Override
    public List<Asset> list() {
        return List.of();
    }

    @Override
    public Path file(Asset asset) {
        return root.assets().resolve(asset.storedName());
    }

    @Override
    public boolean delete(String assetId) {
        return false;
    }

    @Override
    public void onIngest(java.util.function.Consumer<Asset> listener) {
    }
}
