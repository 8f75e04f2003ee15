package dev.videostudio.job;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs background jobs. The default implementation runs them in this process with bounded
 * concurrency and persists job records under the media root; the same interface can be backed
 * by a distributed job engine, which is why payloads are small string maps.
 */
public interface JobScheduler extends AutoCloseable {

    /**
     * The default scheduler: in this process, job records under {@code media/jobs/}. One process
     * per media root: a second one fails to start with 503 {@code jobs_in_use}.
     */
    static JobScheduler local(dev.videostudio.MediaRoot root, dev.videostudio.StudioConfig config) {
        return new LocalJobScheduler(root, config);
    }

    /** Registers the handler of a job type; call before {@link #start()}. */
    void register(JobType type, JobHandler handler);

    /** Starts running jobs (the studio calls it once its handlers are registered). */
    void start();

    /**
     * Re-runs the jobs a crash or restart left queued or processing, and removes old finished
     * records: the start-up recovery of {@link dev.videostudio.VideoStudio#recover()}, run by the
     * server, never by a command-line tool. It must not re-run a job another live node is
     * running: the local scheduler is single-node and refuses to start while another process
     * runs the same {@code media/jobs/} folder; several servers on one media root need a
     * distributed scheduler, which recovers per job (for example by lease).
     */
    default void recover() {
    }

    /**
     * Submits work. While a job with the same key is queued or processing, returns that job
     * instead of creating another. Throws a {@code BUSY} {@link dev.videostudio.StudioException}
     * when the queue is full.
     */
    Job submit(JobType type, String key, Map<String, String> payload);

    Optional<Job> find(String jobId);

    /** The queued or processing job for a key, if any. */
    Optional<Job> active(String key);

    /**
     * The most recent job for a key, final or not (for example the failed one a client should
     * hear about). Job records persist, so this survives a restart.
     */
    Optional<Job> latest(String key);

    /** Cancels a queued or running job; false when it was already final or unknown. */
    boolean cancel(String jobId);

    /**
     * Calls {@code listener} once at once with the job's current state, then on every change
     * until the job is final, always in order; close the returned handle to stop earlier.
     * Listeners run on the thread that changed the job: keep them short and never block in them.
     */
    AutoCloseable subscribe(String jobId, Consumer<Job> listener);

    /**
     * Waits until the job is final or {@code timeout} passes, and returns its last state
     * (empty when the job is unknown).
     */
    default Optional<Job> await(String jobId, java.time.Duration timeout) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (AutoCloseable sub = subscribe(jobId, j -> {
            if (j.status().isFinal()) {
                done.countDown();
            }
        })) {
            done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return find(jobId);
    }

    @Override
    void close();
}
