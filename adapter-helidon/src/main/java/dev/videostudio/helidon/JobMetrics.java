package dev.videostudio.helidon;

import dev.videostudio.job.Job;
import dev.videostudio.job.JobContext;
import dev.videostudio.job.JobHandler;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobType;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Job metrics at {@code /metrics}, wrapped around any {@link JobScheduler}: jobs running on this
 * node, jobs this node finished per type and status, and run durations per type (a histogram).
 * Queued jobs per type come from {@code queued} when given: in the distributed mode the
 * database's count for the whole cluster, the same on every node.
 */
final class JobMetrics implements JobScheduler {

    private static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(1800)};

    private final JobScheduler delegate;
    private final Map<JobType, AtomicInteger> running = new EnumMap<>(JobType.class);

    JobMetrics(JobScheduler delegate, Supplier<Map<String, Map<String, Long>>> queued) {
        this.delegate = delegate;
        CachedCounts counts = queued == null ? null : new CachedCounts(queued);
        for (JobType t : JobType.values()) {
            AtomicInteger n = new AtomicInteger();
            running.put(t, n);
            Metrics.getOrCreate(Gauge.builder("videostudio_jobs_running", n::get).tags(Metrics.tags("type", name(t)))
                    .description("jobs running on this node"));
            if (counts != null) {
                Metrics.getOrCreate(Gauge.builder("videostudio_jobs_queued", () -> counts.get("queued", name(t)))
                        .tags(Metrics.tags("type", name(t))).description("jobs waiting on the whole cluster"));
            }
        }
    }

    @Override
    public void register(JobType type, JobHandler handler) {
        Timer timer = Metrics.getOrCreate(Timer.builder("videostudio_job_duration").tags(Metrics.tags("type", name(type)))
                .buckets(BUCKETS).description("run time of the jobs this node ran"));
        delegate.register(type, ctx -> {
            AtomicInteger n = running.get(type);
            n.incrementAndGet();
            long t0 = System.nanoTime();
            String status = "failed";
            try {
                handler.run(ctx);
                status = "ready";
            } finally {
                n.decrementAndGet();
                timer.record(Duration.ofNanos(System.nanoTime() - t0));
                finished(type, cancelled(ctx) ? "cancelled" : status);
            }
        });
    }

    private static boolean cancelled(JobContext ctx) {
        try {
            return ctx.isCancelled();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void finished(JobType type, String status) {
        Metrics.getOrCreate(Counter.builder("videostudio_jobs_finished").tags(Metrics.tags("type", name(type), "status", status))
                .description("jobs this node ran to an end, per final status")).increment();
    }

    private static String name(JobType t) {
        return t.name().toLowerCase();
    }

    /** The count query at most once a second, whatever the scrape rate. */
    private static final class CachedCounts {
        private final Supplier<Map<String, Map<String, Long>>> source;
        private Map<String, Map<String, Long>> value = Map.of();
        private long at;

        private CachedCounts(Supplier<Map<String, Map<String, Long>>> source) {
            this.source = source;
        }

        synchronized long get(String status, String type) {
            long now = System.nanoTime();
            if (at == 0 || now - at > 1_000_000_000L) {
                at = now;
                try {
                    value = source.get();
                } catch (RuntimeException e) {
                    value = Map.of(); // database down: readiness says so
                }
            }
            return value.getOrDefault(status, Map.of()).getOrDefault(type, 0L);
        }
    }

    // ---- the rest is the scheduler's ----

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void recover() {
        delegate.recover();
    }

    @Override
    public Job submit(JobType type, String key, Map<String, String> payload) {
        return delegate.submit(type, key, payload);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return delegate.find(jobId);
    }

    @Override
    public Optional<Job> active(String key) {
        return delegate.active(key);
    }

    @Override
    public Optional<Job> latest(String key) {
        return delegate.latest(key);
    }

    @Override
    public boolean cancel(String jobId) {
        return delegate.cancel(jobId);
    }

    @Override
    public AutoCloseable subscribe(String jobId, Consumer<Job> listener) {
        return delegate.subscribe(jobId, listener);
    }

    @Override
    public Optional<Job> await(String jobId, Duration timeout) throws InterruptedException {
        return delegate.await(jobId, timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
