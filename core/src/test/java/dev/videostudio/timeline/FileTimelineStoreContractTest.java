package dev.videostudio.timeline;

import dev.videostudio.MediaRoot;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The timeline store contract on the default store (one JSON file per timeline). */
class FileTimelineStoreContractTest extends TimelineStoreContract {

    @TempDir
    Path dir;

    @Override
    protected TimelineStore createStore(AssetLookup assets) {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        return TimelineStore.onDisk(root, assets);
    }
}
