package dev.videostudio.job;

import dev.videostudio.ErrorCode;
import dev.videostudio.ErrorInfo;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on {@code jobConcurrency} worker threads of this process, keeps at most
 * {@code jobQueueLength} waiting, and writes one JSON record per job under {@code media/jobs/}
 * (crash-safe), so that {@link #start()} can run again what a crash left queued or processing.
 * One lock guards all state: jobs are few and their changes are rare next to the work they do.
 */
final class LocalJobScheduler implements JobScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobScheduler.class);
    /** Progress alone is written to disk at most this often; state changes always are. */
    private static final long PROGRESS_PERSIST_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Final job records older than this are removed at start. */
    private static final java.time.Duration KEEP_FINISHED = java.time.Duration.ofDays(7);

    private final MediaRoot root;
    private final StudioConfig config;
    private final Map<JobType, JobHandler> handlers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Map<String, Entry> jobs = new HashMap<>();
    private final Map<String, Entry> activeByKey = new HashMap<>();
    private final Map<String, Entry> latestByKey = new HashMap<>();
    private final Deque<Entry> queue = new ArrayDeque<>();
    /** Jobs found queued or processing at start: a crash or restart stopped them; {@link #recover()} re-runs them. */
    private final List<Entry> interrupted = new ArrayList<>();
    /** Held locked by the process running this folder's jobs. */
    private static final String CLAIM = ".claim";
    private final ExecutorService workers;
    /** Jobs running in the shared slots, and in the one slot of {@link JobType#watched() watched} jobs. */
    private int running;
    private boolean watchedRunning;
    private boolean started;
    private boolean closed;

    /** The mutable state of one job; guarded by {@code lock} except the listener list. */
    private static final class Entry {
        Job job;
        Thread worker;
        boolean cancelRequested;
        long lastPersistNanos;
        final List<Consumer<Job>> listeners = new CopyOnWriteArrayList<>();

        Entry(Job job) {
            this.job = job;
        }
    }

    LocalJobScheduler(MediaRoot root, StudioConfig config) {
        this.root = root;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.jobConcurrency() + 1, r -> {
            Thread t = new Thread(r, "videostudio-job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void register(JobType type, JobHandler handler) {
        handlers.put(type, handler);
    }

    /**
     * Claims {@code media/jobs/} (one live scheduler process per folder), loads the job records
     * (finished ones answer {@link #latest} after a restart) and starts running new jobs. Jobs a
     * crash or restart interrupted are left alone until {@link #recover()}.
     */
    @Override
    public void start() {
        claimJobsFolder();
        List<Entry> loaded = loadRecords();
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
            for (Entry e : loaded) {
                if (jobs.containsKey(e.job.jobId())) {
                    continue;
                }
                jobs.put(e.job.jobId(), e);
                remember(e);
                if (!e.job.status().isFinal()) {
                    interrupted.add(e);
                }
            }
            dispatch();
        }
    }

    /** Another live process running jobs from the same folder would run them twice: refuse. */
    private void claimJobsFolder() {
        try {
            Files.createDirectories(root.jobs());
            if (!dev.videostudio.internal.FileLocks.holdForever(root.jobs().resolve(CLAIM))) {
                throw new StudioException(Problem.UNAVAILABLE, ErrorCode.JOBS_IN_USE, "another live process runs the jobs of "
                        + root.jobs() + ": two servers may share a media root only with a distributed job scheduler");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot claim " + root.jobs(), e);
        }
    }

    /**
     * Runs again the jobs a crash or restart interrupted (from the start) and removes finished
     * records older than {@link #KEEP_FINISHED}. Call once, after {@link #start()}, in the one
     * process that owns this folder (the server; a command-line tool never does).
     */
    @Override
    public void recover() {
        synchronized (lock) {
            for (Entry e : interrupted) {
                Job j = e.job;
                if (j.status().isFinal() || activeByKey.containsKey(j.key())) {
                    continue;
                }
                // a crash or restart stopped it: it runs again from the start
                e.job = with(j, JobStatus.QUEUED, 0, null);
                activeByKey.put(j.key(), e);
                queue.addLast(e);
                persist(e);
                LOG.info("job {} {} {} -> queued (resumed after restart)", j.jobId(), typeName(j.type()),
                        j.status().name().toLowerCase());
            }
            interrupted.clear();
            dispatch();
        }
        pruneRecords();
    }

    private void pruneRecords() {
        Instant oldest = Instant.now().minus(KEEP_FINISHED);
        List<String> pruned = new ArrayList<>();
        synchronized (lock) {
            for (Entry e : jobs.values()) {
                Job j = e.job;
                if (j.status().isFinal() && j.updatedAt() != null && j.updatedAt().isBefore(oldest)) {
                    pruned.add(j.jobId());
                }
            }
            for (String id : pruned) {
                Entry e = jobs.remove(id);
                if (e != null && latestByKey.get(e.job.key()) == e) {
                    latestByKey.remove(e.job.key());
                }
            }
        }
        for (String id : pruned) {
            MediaRoot.deleteQuietly(root.jobs().resolve(id + ".json"));
        }
    }

    private List<Entry> loadRecords() {
        List<Entry> out = new ArrayList<>();
        Path dir = root.jobs();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".json") || name.startsWith(".")) {
                    continue;
                }
                try {
                    Job j = StudioJson.mapper().readValue(f.toFile(), Job.class);
                    if (j.jobId() == null || j.type() == null || j.status() == null || j.key() == null) {
                        throw new IOException("incomplete job record");
                    }
                    out.add(new Entry(j));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("ignoring unreadable job record {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list job records in {}: {}", dir, e.getMessage());
        }
        out.sort(Comparator.comparing((Entry e) -> e.job.createdAt(), Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    @Override
    public Job submit(JobType type, String key, Map<String, String> payload) {
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(key, "key");
        synchronized (lock) {
            if (closed) {
                throw new StudioException(Problem.UNAVAILABLE, ErrorCode.SHUTTING_DOWN, "the job scheduler is shutting down");
            }
            Entry active = activeByKey.get(key);
            if (active != null) {
                return active.job;
            }
            if (queue.size() >= config.jobQueueLength()) {
                throw new StudioException(Problem.BUSY, ErrorCode.QUEUE_FULL,
                        "the job queue is full (" + config.jobQueueLength() + " waiting); retry later");
            }
            Instant now = Instant.now();
            Job job = new Job(MediaRoot.newId("j"), type, key, JobStatus.QUEUED, 0, null, now, now, payload);
            Entry e = new Entry(job);
            jobs.put(job.jobId(), e);
            activeByKey.put(key, e);
            remember(e);
            queue.addLast(e);
            persist(e);
            LOG.info("job {} {} -> queued (key {})", job.jobId(), typeName(type), key);
            dispatch();
            return job;
        }
    }

    /** Hands queued jobs to free workers; called with the lock held. */
    private void dispatch() {
        if (!started || closed) {
            return;
        }
        if (!watchedRunning) {
            queue.stream().filter(q -> q.job.type().watched()).findFirst().ifPresent(e -> {
                queue.remove(e);
                watchedRunning = true;
                workers.execute(() -> runJob(e));
            });
        }
        while (running < config.jobConcurrency()) {
            // first come, first served, except that work a client waits for goes before preparation
            Entry e = queue.stream().filter(q -> !q.job.type().watched() && q.job.type().awaited()).findFirst()
                    .or(() -> queue.stream().filter(q -> !q.job.type().watched()).findFirst()).orElse(null);
            if (e == null) {
                return;
            }
            queue.remove(e);
            running++;
            workers.execute(() -> runJob(e));
        }
    }

    /** Frees the slot a job ran in; called with the lock held. */
    private void release(Entry e) {
        if (e.job.type().watched()) {
            watchedRunning = false;
        } else {
            running--;
        }
    }

    private void runJob(Entry e) {
        JobHandler handler;
        synchronized (lock) {
            if (e.job.status() != JobStatus.QUEUED || closed) {
                release(e);
                dispatch();
                return;
            }
            e.worker = Thread.currentThread();
            handler = handlers.get(e.job.type());
            if (handler != null) {
                change(e, with(e.job, JobStatus.PROCESSING, 0, null));
            }
        }
        Job finalState = null;
        try {
            if (handler == null) {
                throw new StudioException(Problem.INTERNAL, "no_handler",
                        "no handler is registered for jobs of type " + typeName(e.job.type()));
            }
            handler.run(new Context(e));
            finalState = with(e.job, JobStatus.READY, 1, null);
        } catch (StudioException ex) {
            // a handler that finds its work no longer wanted ends cancelled, as a cancel would
            finalState = ex.is(ErrorCode.CANCELLED) ? with(e.job, JobStatus.CANCELLED, e.job.progress(), null)
                    : with(e.job, JobStatus.FAILED, e.job.progress(), ex.toErrorInfo());
        } catch (Exception | Error ex) {
            if (!(ex instanceof Exception)) {
                LOG.error("job {} failed with an error", e.job.jobId(), ex);
            }
            finalState = with(e.job, JobStatus.FAILED, e.job.progress(), StudioException.isNoSpace(ex)
                    ? ErrorInfo.of("insufficient_storage", "the server's disk is full")
                    : ErrorInfo.of("job_failed", ex.getClass().getSimpleName() + ": " + ex.getMessage()));
        } finally {
            synchronized (lock) {
                e.worker = null;
                release(e);
                // a cancelled job is already final; a job stopped by close() stays processing on
                // disk so that the next start runs it again
                if (!e.job.status().isFinal() && !closed && finalState != null) {
                    if (e.cancelRequested) {
                        finalState = with(e.job, JobStatus.CANCELLED, e.job.progress(), null);
                    }
                    if (finalState.status() == JobStatus.FAILED && finalState.error() != null) {
                        LOG.warn("job {} failed: {} {}", e.job.jobId(), finalState.error().code(), finalState.error().message());
                    }
                    change(e, finalState);
                }
                Thread.interrupted(); // a cancel's interrupt must not leak into the next job
                dispatch();
            }
        }
    }

    @Override
    public Optional<Job> find(String jobId) {
        synchronized (lock) {
            Entry e = jobs.get(jobId);
            return e == null ? Optional.empty() : Optional.of(e.job);
        }
    }

    @Override
    public Optional<Job> active(String key) {
        synchronized (lock) {
            Entry e = activeByKey.get(key);
            return e == null ? Optional.empty() : Optional.of(e.job);
        }
    }

    @Override
    public Optional<Job> latest(String key) {
        synchronized (lock) {
            Entry e = latestByKey.get(key);
            return e == null ? Optional.empty() : Optional.of(e.job);
        }
    }

    @Override
    public boolean cancel(String jobId) {
        synchronized (lock) {
            Entry e = jobs.get(jobId);
            if (e == null || e.job.status().isFinal()) {
                return false;
            }
            e.cancelRequested = true;
            queue.remove(e);
            // final at once, so that a new submit for the same key starts a fresh job
            change(e, with(e.job, JobStatus.CANCELLED, e.job.progress(), null));
            if (e.worker != null) {
                e.worker.interrupt();
            }
            return true;
        }
    }

    @Override
    public AutoCloseable subscribe(String jobId, Consumer<Job> listener) {
        Entry e;
        synchronized (lock) {
            e = jobs.get(jobId);
            if (e == null) {
                return () -> { };
            }
            if (!e.job.status().isFinal()) {
                e.listeners.add(listener);
            }
            // under the lock, like every later update, so the first state cannot arrive after a newer one
            listener.accept(e.job);
        }
        Entry entry = e;
        return () -> entry.listeners.remove(listener);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("job workers did not stop within 10 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets a new state, persists it, logs status changes and notifies listeners; lock held. */
    private void change(Entry e, Job next) {
        Job before = e.job;
        e.job = next;
        boolean statusChanged = before.status() != next.status();
        if (statusChanged || System.nanoTime() - e.lastPersistNanos > PROGRESS_PERSIST_NANOS) {
            persist(e);
        }
        if (statusChanged) {
            LOG.info("job {} {} {} -> {}", next.jobId(), typeName(next.type()),
                    before.status().name().toLowerCase(), next.status().name().toLowerCase());
        }
        if (next.status().isFinal()) {
            activeByKey.remove(next.key(), e);
        }
        for (Consumer<Job> l : e.listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException ex) {
                LOG.debug("job listener failed: {}", ex.toString());
            }
        }
        if (next.status().isFinal()) {
            e.listeners.clear();
        }
    }

    private void remember(Entry e) {
        Entry prev = latestByKey.get(e.job.key());
        if (prev == null || !prev.job.createdAt().isAfter(e.job.createdAt())) {
            latestByKey.put(e.job.key(), e);
        }
    }

    private void persist(Entry e) {
        e.lastPersistNanos = System.nanoTime();
        try {
            MediaRoot.writeAtomically(root.jobs().resolve(e.job.jobId() + ".json"),
                    StudioJson.mapper().writeValueAsBytes(e.job));
        } catch (IOException | RuntimeException ex) {
            // the job still runs; only its durability suffers, which the log must say
            LOG.warn("cannot persist job {}: {}", e.job.jobId(), ex.toString());
        }
    }

    private static Job with(Job j, JobStatus status, double progress, ErrorInfo error) {
        return new Job(j.jobId(), j.type(), j.key(), status, progress, error, j.createdAt(), Instant.now(), j.payload());
    }

    private static String typeName(JobType type) {
        return type.name().toLowerCase();
    }

    /** The view a handler gets of its job. */
    private final class Context implements JobContext {
        private final Entry entry;
        private final String jobId;
        private final Map<String, String> payload;

        Context(Entry entry) {
            this.entry = entry;
            this.jobId = entry.job.jobId();
            this.payload = entry.job.payload();
        }

        @Override
        public String jobId() {
            return jobId;
        }

        @Override
        public Map<String, String> payload() {
            return payload;
        }

        @Override
        public void progress(double fraction) {
            if (Double.isNaN(fraction)) {
                return;
            }
            double p = Math.max(0, Math.min(1, fraction));
            synchronized (lock) {
                Job j = entry.job;
                if (j.status() != JobStatus.PROCESSING || p <= j.progress()) {
                    return;
                }
                // notify on visible steps only (0.1 %), so a chatty handler cannot flood listeners
                if (p < 1 && p - j.progress() < 0.001) {
                    return;
                }
                change(entry, with(j, JobStatus.PROCESSING, p, null));
            }
        }

        @Override
        public boolean isCancelled() {
            synchronized (lock) {
                return entry.cancelRequested || closed;
            }
        }
    }
}
