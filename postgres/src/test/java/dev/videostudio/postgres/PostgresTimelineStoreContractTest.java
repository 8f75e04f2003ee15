package dev.videostudio.postgres;

import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.TimelineStore;
import dev.videostudio.timeline.TimelineStoreContract;
import org.junit.jupiter.api.AfterEach;

/** Core's timeline store contract on PostgreSQL (one fresh database per test). */
class PostgresTimelineStoreContractTest extends TimelineStoreContract {

    private PostgresDatabase db;

    @Override
    protected TimelineStore createStore(AssetLookup assets) {
        if (db == null) {
            db = TestDatabase.connect();
        }
        return db.timelineStore(assets);
    }

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }
}
