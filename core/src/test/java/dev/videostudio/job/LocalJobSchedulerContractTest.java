package dev.videostudio.job;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;

/** The job scheduler contract on the local scheduler. */
class LocalJobSchedulerContractTest extends JobSchedulerContract {

    @Override
    protected JobScheduler createScheduler(MediaRoot root, StudioConfig config) {
        return JobScheduler.local(root, config);
    }
}
