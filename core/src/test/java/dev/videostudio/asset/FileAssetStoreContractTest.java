package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.ffmpeg.FFmpegTools;

/** The asset store contract on the default store (JSON records next to the media). */
class FileAssetStoreContractTest extends AssetStoreContract {

    @Override
    protected AssetStore createStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        return AssetStore.onDisk(root, ffmpeg, config);
    }
}
