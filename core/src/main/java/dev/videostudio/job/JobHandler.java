package dev.videostudio.job;

/**
 * The work behind one {@link JobType}. Throwing marks the job failed: a
 * {@link dev.videostudio.StudioException} keeps its code and message for the client, except one
 * with the code {@code cancelled} (the work is no longer wanted), which ends the job cancelled.
 */
@FunctionalInterface
public interface JobHandler {

    void run(JobContext context) throws Exception;
}
