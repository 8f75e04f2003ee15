package dev.videostudio.postgres;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobSchedulerContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Core's job scheduler contract on PostgreSQL (one fresh database per scheduler). */
class PostgresJobSchedulerContractTest extends JobSchedulerContract {

    private final List<PostgresDatabase> databases = new ArrayList<>();

    @Override
    protected JobScheduler createScheduler(MediaRoot root, StudioConfig config) {
        PostgresDatabase db = TestDatabase.connect();
        databases.add(db);
        return db.jobScheduler(config, true);
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(PostgresDatabase::close);
    }
}
