package dev.videostudio.job;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;

/** The job scheduler contract on the local scheduler; a restart is a new one on the same media root. */
class LocalJobSchedulerContractTest extends JobSchedulerContract {

    @Override
    protected JobScheduler createScheduler(MediaRoot root, StudioConfig config) {
        return JobScheduler.local(root, config);
    }

    @Override
    protected JobScheduler reopenScheduler(MediaRoot root, StudioConfig config) {
        return JobScheduler.local(root, config);
    }
}
