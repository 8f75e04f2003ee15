package dev.videostudio.job;

/** Lifecycle of a job: queued, then processing, then one of the three final states. */
public enum JobStatus {
    QUEUED, PROCESSING, READY, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == READY || this == FAILED || this == CANCELLED;
    }
}
