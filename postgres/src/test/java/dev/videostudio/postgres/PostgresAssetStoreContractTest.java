package dev.videostudio.postgres;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.asset.AssetStoreContract;
import dev.videostudio.ffmpeg.FFmpegTools;
import org.junit.jupiter.api.AfterEach;

/** Core's asset store contract with the records on PostgreSQL (one fresh database per test). */
class PostgresAssetStoreContractTest extends AssetStoreContract {

    private PostgresDatabase db;

    @Override
    protected AssetStore createStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        if (db == null) {
            db = TestDatabase.connect();
        }
        return AssetStore.withMetadata(db.assetMetadata(), root, ffmpeg, config);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }
}
