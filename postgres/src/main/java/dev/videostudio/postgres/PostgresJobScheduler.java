package dev.videostudio.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.videostudio.ErrorCode;
import dev.videostudio.ErrorInfo;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.StudioJson;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobContext;
import dev.videostudio.job.JobHandler;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobStatus;
import dev.videostudio.job.JobType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobScheduler} of the distributed mode. A job is a row of {@code studio_jobs} (what
 * clients see) plus a db-scheduler execution of the same id (what a worker picks up), both
 * inserted in one transaction. db-scheduler gives exclusive pick-up, heartbeats and the revival
 * of executions whose node died; this class adds what the local scheduler promises:
 * <ul>
 * <li>one job per key while queued or processing, cluster-wide: submits take one advisory lock,
 *     and a unique partial index backs it;</li>
 * <li>the queue bound: queued rows are counted under the same lock;</li>
 * <li>priorities: awaited work gets a higher db-scheduler priority than preparation work, and
 *     watched jobs (renders) have a table of their own that one more thread per node runs;</li>
 * <li>wake-up, cancel and progress across nodes through PostgreSQL {@code LISTEN/NOTIFY} on one
 *     channel, with polling of the rows as the fallback when a notification is missed.</li>
 * </ul>
 * Each run of a job increments its {@code attempt}; a node writes progress and the final state
 * only for its own attempt, so a node that was wrongly thought dead cannot overwrite the run
 * that replaced it.
 */
final class PostgresJobScheduler implements JobScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresJobScheduler.class);
    static final String TASK = "videostudio-job";
    static final String CHANNEL = "videostudio_jobs";
    /** db-scheduler's table of the shared slots, and of the one slot of watched jobs (renders). */
    static final String TABLE = "scheduled_tasks";
    static final String WATCHED_TABLE = "scheduled_renders";
    private static final long PROGRESS_WRITE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long CANCEL_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** Any constant: the advisory lock that serialises submits on all nodes. */
    private static final long SUBMIT_LOCK = 0x5354_5544_494f_4a42L;
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private final ReentrantLock submitting = new ReentrantLock(true);

    /**
     * Tuning, package-private for tests and benchmarks.
     *
     * @param wakeOnNotify    wake workers at once on a submit (false: they find work by polling)
     * @param pollingInterval how often an idle worker looks for due work without being woken
     * @param heartbeat       how often a worker proves it is alive; a job is run again elsewhere
     *                        after {@code missedHeartbeats} of them are missed
     */
    record Options(boolean wakeOnNotify, Duration pollingInterval, Duration heartbeat, int missedHeartbeats, String node) {
        static Options defaults() {
            return new Options(true, Duration.ofSeconds(2), Duration.ofSeconds(2), 4, defaultNode());
        }

        Options withWake(boolean wake, Duration polling) {
            return new Options(wake, polling, heartbeat, missedHeartbeats, node);
        }

        private static String defaultNode() {
            String host = System.getenv().getOrDefault("HOSTNAME", "node");
            return host + "-" + ProcessHandle.current().pid();
        }
    }

    private final DataSource ds;
    private final StudioConfig config;
    private final boolean runsJobs;
    private final Options options;
    private final Map<JobType, JobHandler> handlers = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, List<Subscription>> subscriptions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService housekeeping;
    private final Thread listener;
    private volatile Scheduler scheduler;
    /** Runs the watched jobs (renders), one at a time, from their own table. */
    private volatile Scheduler watchedScheduler;
    private volatile boolean closed;

    PostgresJobScheduler(DataSource ds, StudioConfig config, boolean runsJobs, Options options) {
        this.ds = ds;
        this.config = config;
        this.runsJobs = runsJobs;
        this.options = options;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "videostudio-jobs-poll");
            t.setDaemon(true);
            return t;
        });
        this.listener = new Thread(this::listen, "videostudio-jobs-listen");
        listener.setDaemon(true);
    }

    @Override
    public void register(JobType type, JobHandler handler) {
        handlers.put(type, handler);
    }

    @Override
    public void start() {
        if (scheduler != null || closed) {
            return;
        }
        listener.start();
        // the fallback for missed notifications: subscribed jobs and running jobs' cancel flags
        housekeeping.scheduleWithFixedDelay(this::pollSubscriptions, 1, 1, TimeUnit.SECONDS);
        if (!runsJobs) {
            return;
        }
        scheduler = create(TABLE, config.jobConcurrency());
        watchedScheduler = create(WATCHED_TABLE, 1);
        scheduler.start();
        watchedScheduler.start();
    }

    private Scheduler create(String table, int threads) {
        OneTimeTask<Void> task = Tasks.oneTime(TASK)
                // a run stopped by shutdown or a lost database goes back to the queue at once
                .onFailure((complete, ops) -> ops.reschedule(complete, Instant.now().plusSeconds(1)))
                .onDeadExecutionRevive()
                .execute((instance, ctx) -> {
                    try {
                        execute(instance.getId());
                    } catch (SQLException e) {
                        // db-scheduler's failure handler puts the execution back for a later try
                        throw new IllegalStateException("database unavailable while running job " + instance.getId(), e);
                    }
                });
        return Scheduler.create(ds, task)
                .tableName(table)
                .schedulerName(new SchedulerName.Fixed(options.node()))
                .threads(threads)
                .pollingInterval(options.pollingInterval())
                .heartbeatInterval(options.heartbeat())
                .missedHeartbeatsLimit(options.missedHeartbeats())
                .pollUsingLockAndFetch(0.5, 1.0)
                .enablePriority()
                .shutdownMaxWait(Duration.ofSeconds(10))
                .failureLogging(com.github.kagkarlsson.scheduler.logging.LogLevel.WARN, true)
                .build();
    }

    /**
     * Drops finished job rows older than 7 days, as the local scheduler does with its records.
     * Nothing else to recover here: db-scheduler revives the executions of dead nodes by itself
     * (heartbeats), which is what makes recovery safe while other nodes run.
     */
    @Override
    public void recover() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from studio_jobs where status in ('ready', 'failed', 'cancelled') "
                        + "and updated_at < now() - interval '7 days'")) {
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.info("{} finished job rows older than 7 days removed", n);
            }
        } catch (SQLException e) {
            LOG.warn("old job rows not removed: {}", e.toString());
        }
    }

    // ---- submitting and reading ----

    @Override
    public Job submit(JobType type, String key, Map<String, String> payload) {
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(key, "key");
        if (closed) {
            throw new StudioException(Problem.UNAVAILABLE, "shutting_down", "the job scheduler is shutting down");
        }
        // identical requests (a page's retries, many viewers) find the job without the lock
        Optional<Job> running = active(key);
        if (running.isPresent()) {
            return running.get();
        }
        // this node's submits queue here rather than each holding a pooled connection while the
        // advisory lock lets one through at a time (a burst of 100 ran the pool dry: 503s)
        try {
            if (!submitting.tryLock(10, TimeUnit.SECONDS)) {
                throw new StudioException(Problem.BUSY, "queue_full", "too many jobs are being submitted at once; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StudioException(Problem.UNAVAILABLE, "shutting_down", "the job scheduler is shutting down");
        }
        try {
            return insert(type, key, payload);
        } finally {
            submitting.unlock();
        }
    }

    private Job insert(JobType type, String key, Map<String, String> payload) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, SUBMIT_LOCK);
                    lock.execute();
                }
                Optional<Job> active = one(c, "select * from studio_jobs where job_key = ? and status in ('queued', 'processing')", key);
                if (active.isPresent()) {
                    c.commit();
                    return active.get();
                }
                try (PreparedStatement count = c.prepareStatement("select count(*) from studio_jobs where status = 'queued'");
                        ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= config.jobQueueLength()) {
                        c.rollback();
                        throw new StudioException(Problem.BUSY, "queue_full",
                                "the job queue is full (" + config.jobQueueLength() + " waiting); retry later");
                    }
                }
                Instant now = Instant.now();
                Job job = new Job(MediaRoot.newId("j"), type, key, JobStatus.QUEUED, 0, null, now, now, payload);
                short priority = (short) (type.awaited() ? 10 : 0);
                try (PreparedStatement ins = c.prepareStatement("insert into studio_jobs (job_id, type, job_key, status, progress, "
                        + "payload, priority, created_at, updated_at) values (?, ?, ?, 'queued', 0, ?::jsonb, ?, ?, ?)")) {
                    ins.setString(1, job.jobId());
                    ins.setString(2, typeName(type));
                    ins.setString(3, key);
                    ins.setString(4, StudioJson.mapper().writeValueAsString(job.payload()));
                    ins.setShort(5, priority);
                    ins.setTimestamp(6, Timestamp.from(now));
                    ins.setTimestamp(7, Timestamp.from(now));
                    ins.executeUpdate();
                }
                // db-scheduler's execution, in the same transaction (its documented table; no task data)
                try (PreparedStatement ins = c.prepareStatement("insert into " + table(type) + " (task_name, task_instance, "
                        + "task_data, execution_time, picked, version, priority) values (?, ?, null, ?, false, 1, ?)")) {
                    ins.setString(1, TASK);
                    ins.setString(2, job.jobId());
                    ins.setTimestamp(3, Timestamp.from(now));
                    ins.setShort(4, priority);
                    ins.executeUpdate();
                }
                if (options.wakeOnNotify()) {
                    signal(c, "due");
                }
                c.commit();
                LOG.info("job {} {} -> queued (key {})", job.jobId(), typeName(type), key);
                return job;
            } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                rollbackQuietly(c);
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                if (e instanceof SQLException s) {
                    throw s;
                }
                throw new IllegalStateException(e);
            }
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
    }

    /** The db-scheduler table a job's execution goes in (see {@link JobType#watched()}). */
    static String table(JobType type) {
        return type.watched() ? WATCHED_TABLE : TABLE;
    }

    @Override
    public Optional<Job> find(String jobId) {
        return query("select * from studio_jobs where job_id = ?", jobId);
    }

    @Override
    public Optional<Job> active(String key) {
        return query("select * from studio_jobs where job_key = ? and status in ('queued', 'processing')", key);
    }

    @Override
    public Optional<Job> latest(String key) {
        return query("select * from studio_jobs where job_key = ? order by created_at desc, job_id desc limit 1", key);
    }

    /** Jobs per status and type, for metrics: {@code status -> type -> count}. */
    Map<String, Map<String, Long>> counts() {
        return counts(ds);
    }

    static Map<String, Map<String, Long>> counts(DataSource ds) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select status, type, count(*) from studio_jobs group by status, type");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), s -> new java.util.TreeMap<>()).put(rs.getString(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
        return out;
    }

    @Override
    public boolean cancel(String jobId) {
        Optional<Job> cancelled;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                cancelled = one(c, "update studio_jobs set status = 'cancelled', updated_at = clock_timestamp() "
                        + "where job_id = ? and status in ('queued', 'processing') returning *", jobId);
                if (cancelled.isPresent()) {
                    // a queued execution goes; a picked one is stopped by its node on the notification
                    try (PreparedStatement del = c.prepareStatement("delete from " + table(cancelled.get().type())
                            + " where task_name = ? and task_instance = ? and picked = false")) {
                        del.setString(1, TASK);
                        del.setString(2, jobId);
                        del.executeUpdate();
                    }
                    signal(c, "cancel " + jobId);
                    signal(c, "changed " + jobId);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
        cancelled.ifPresent(j -> {
            LOG.info("job {} {} -> cancelled", j.jobId(), typeName(j.type()));
            stopLocal(jobId);
        });
        return cancelled.isPresent();
    }

    @Override
    public AutoCloseable subscribe(String jobId, Consumer<Job> listener) {
        Subscription s = new Subscription(jobId, listener);
        List<Subscription> list = subscriptions.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>());
        list.add(s);
        Optional<Job> now = find(jobId);
        if (now.isEmpty()) {
            unsubscribe(s);
            return () -> { };
        }
        s.deliver(now.get());
        if (now.get().status().isFinal()) {
            unsubscribe(s);
        }
        return () -> unsubscribe(s);
    }

    private void unsubscribe(Subscription s) {
        subscriptions.computeIfPresent(s.jobId, (k, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // running handlers see isCancelled() and stop; their executions fail, so
        // db-scheduler puts them back for the next node (or this one after a restart)
        Thread other = Thread.ofVirtual().start(() -> stop(watchedScheduler));
        stop(scheduler);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.interrupt();
        housekeeping.shutdownNow();
    }

    private static void stop(Scheduler s) {
        if (s != null) {
            s.stop();
        }
    }

    // ---- running ----

    /** One run of a job on this node. */
    private static final class Running {
        final Job job;
        final int attempt;
        final Thread thread;
        volatile boolean cancelled;
        volatile double progress;
        long lastWriteNanos = System.nanoTime();
        long lastCancelCheckNanos = System.nanoTime();

        Running(Job job, int attempt, Thread thread) {
            this.job = job;
            this.attempt = attempt;
            this.thread = thread;
        }
    }

    /** Called by db-scheduler on one of its threads, once this node holds the execution. */
    private void execute(String jobId) throws SQLException {
        Optional<Job> claimed;
        int attempt;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update studio_jobs set status = 'processing', progress = 0, "
                    + "error = null, attempt = attempt + 1, node = ?, updated_at = clock_timestamp() "
                    + "where job_id = ? and status in ('queued', 'processing') returning *")) {
                ps.setString(1, options.node());
                ps.setString(2, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    claimed = rs.next() ? Optional.of(read(rs)) : Optional.empty();
                    attempt = claimed.isPresent() ? rs.getInt("attempt") : 0;
                }
                if (claimed.isPresent()) {
                    signal(c, "changed " + jobId);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        }
        if (claimed.isEmpty()) {
            return; // cancelled before it started, or removed
        }
        Job job = claimed.get();
        LOG.info("job {} {} -> processing (attempt {} on {})", jobId, typeName(job.type()), attempt, options.node());
        Running r = new Running(job, attempt, Thread.currentThread());
        running.put(jobId, r);
        JobStatus status;
        ErrorInfo error = null;
        try {
            JobHandler handler = handlers.get(job.type());
            if (handler == null) {
                throw new StudioException(Problem.INTERNAL, "no_handler",
                        "no handler is registered for jobs of type " + typeName(job.type()));
            }
            handler.run(new Context(r));
            status = JobStatus.READY;
        } catch (StudioException ex) {
            // a handler that finds its work no longer wanted ends cancelled, as a cancel would
            status = ex.is(ErrorCode.CANCELLED) ? JobStatus.CANCELLED : JobStatus.FAILED;
            error = ex.is(ErrorCode.CANCELLED) ? null : ex.toErrorInfo();
        } catch (Exception | Error ex) {
            if (!(ex instanceof Exception)) {
                LOG.error("job {} failed with an error", jobId, ex);
            }
            status = JobStatus.FAILED;
            error = ErrorInfo.of("job_failed", ex.getClass().getSimpleName() + ": " + ex.getMessage());
        } finally {
            running.remove(jobId, r);
            Thread.interrupted(); // a cancel's interrupt must not leak into the next job
        }
        if (closed && !r.cancelled) {
            // stopped by shutdown, not by the job: it runs again, here after a restart or elsewhere
            throw new IllegalStateException("node stopping; job " + jobId + " goes back to the queue");
        }
        finish(r, status, error);
    }

    private void finish(Running r, JobStatus status, ErrorInfo error) throws SQLException {
        String id = r.job.jobId();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("update studio_jobs set status = ?, progress = ?, error = ?::jsonb, "
                    + "updated_at = clock_timestamp() where job_id = ? and attempt = ? and status = 'processing'")) {
                ps.setString(1, status.name().toLowerCase());
                ps.setDouble(2, status == JobStatus.READY ? 1 : r.progress);
                ps.setString(3, error == null ? null : StudioJson.mapper().writeValueAsString(error));
                ps.setString(4, id);
                ps.setInt(5, r.attempt);
                if (ps.executeUpdate() == 1) {
                    signal(c, "changed " + id);
                    if (status == JobStatus.FAILED && error != null) {
                        LOG.warn("job {} failed: {} {}", id, error.code(), error.message());
                    }
                    LOG.info("job {} {} processing -> {}", id, typeName(r.job.type()), status.name().toLowerCase());
                }
                c.commit();
            } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                rollbackQuietly(c);
                if (e instanceof SQLException s) {
                    throw s;
                }
                throw new IllegalStateException(e);
            }
        }
    }

    private void stopLocal(String jobId) {
        Running r = running.get(jobId);
        if (r != null && !r.cancelled) {
            r.cancelled = true;
            r.thread.interrupt();
        }
    }

    /** The view a handler gets of its job. */
    private final class Context implements JobContext {
        private final Running r;

        Context(Running r) {
            this.r = r;
        }

        @Override
        public String jobId() {
            return r.job.jobId();
        }

        @Override
        public Map<String, String> payload() {
            return r.job.payload();
        }

        @Override
        public void progress(double fraction) {
            if (Double.isNaN(fraction)) {
                return;
            }
            double p = Math.max(0, Math.min(1, fraction));
            synchronized (r) {
                if (p <= r.progress) {
                    return;
                }
                r.progress = p;
                long now = System.nanoTime();
                if (now - r.lastWriteNanos < PROGRESS_WRITE_NANOS) {
                    return;
                }
                r.lastWriteNanos = now;
            }
            // at most once a second per job; a failed write only delays what others see
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("update studio_jobs set progress = greatest(progress, ?), "
                            + "updated_at = clock_timestamp() where job_id = ? and attempt = ? and status = 'processing'")) {
                c.setAutoCommit(true);
                ps.setDouble(1, p);
                ps.setString(2, r.job.jobId());
                ps.setInt(3, r.attempt);
                if (ps.executeUpdate() == 1) {
                    signal(c, "changed " + r.job.jobId());
                }
            } catch (SQLException e) {
                LOG.debug("cannot write progress of job {}: {}", r.job.jobId(), e.toString());
            }
        }

        @Override
        public boolean isCancelled() {
            if (r.cancelled || closed) {
                return true;
            }
            long now = System.nanoTime();
            boolean check;
            synchronized (r) {
                check = now - r.lastCancelCheckNanos > CANCEL_POLL_NANOS;
                if (check) {
                    r.lastCancelCheckNanos = now;
                }
            }
            if (check) {
                // the fallback for a missed notification: the row says whether this run still counts
                try (Connection c = ds.getConnection();
                        PreparedStatement ps = c.prepareStatement("select status, attempt from studio_jobs where job_id = ?")) {
                    ps.setString(1, r.job.jobId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !"processing".equals(rs.getString(1)) || rs.getInt(2) != r.attempt) {
                            r.cancelled = true;
                        }
                    }
                } catch (SQLException e) {
                    LOG.debug("cannot check job {}: {}", r.job.jobId(), e.toString());
                }
            }
            return r.cancelled;
        }
    }

    // ---- notifications ----

    /** Holds one connection that LISTENs; reconnects when the database comes back. */
    private void listen() {
        while (!closed) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(true);
                c.createStatement().execute("listen " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                // after a (re)connect, whatever was missed is picked up now
                wake();
                pollSubscriptions();
                while (!closed) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) {
                        continue;
                    }
                    for (PGNotification n : ns) {
                        onNotification(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.debug("job notifications interrupted: {}", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void onNotification(String payload) {
        if (payload.equals("due")) {
            wake();
        } else if (payload.startsWith("cancel ")) {
            stopLocal(payload.substring(7));
        } else if (payload.startsWith("changed ")) {
            String id = payload.substring(8);
            if (subscriptions.containsKey(id)) {
                find(id).ifPresent(this::publish);
            }
        }
    }

    private void wake() {
        for (Scheduler s : new Scheduler[] {scheduler, watchedScheduler}) {
            if (s != null && options.wakeOnNotify()) {
                s.triggerCheckForDueExecutions();
            }
        }
    }

    private void pollSubscriptions() {
        try {
            if (!subscriptions.isEmpty()) {
                findAll(subscriptions.keySet().toArray(String[]::new)).forEach(this::publish);
            }
            for (Running r : running.values()) {
                new Context(r).isCancelled();
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot poll jobs: {}", e.toString());
        }
    }

    private void publish(Job j) {
        List<Subscription> list = subscriptions.get(j.jobId());
        if (list == null) {
            return;
        }
        for (Subscription s : list) {
            s.deliver(j);
            if (j.status().isFinal()) {
                unsubscribe(s);
            }
        }
    }

    /** One listener; delivers each state once, in order, never an older one after a newer. */
    private static final class Subscription {
        final String jobId;
        final Consumer<Job> listener;
        private Job last;

        Subscription(String jobId, Consumer<Job> listener) {
            this.jobId = jobId;
            this.listener = listener;
        }

        synchronized void deliver(Job j) {
            if (last != null && (last.status().isFinal() || !j.updatedAt().isAfter(last.updatedAt()))) {
                return;
            }
            last = j;
            try {
                listener.accept(j);
            } catch (RuntimeException ex) {
                LOG.debug("job listener failed: {}", ex.toString());
            }
        }
    }

    // ---- rows ----

    /** The rows of these jobs, in one query (the once-a-second poll of subscribed jobs). */
    private List<Job> findAll(String[] ids) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from studio_jobs where job_id = any (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            List<Job> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
    }

    private Optional<Job> query(String sql, String arg) {
        try (Connection c = ds.getConnection()) {
            return one(c, sql, arg);
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
    }

    private static Optional<Job> one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Job read(ResultSet rs) throws SQLException {
        try {
            String error = rs.getString("error");
            return new Job(rs.getString("job_id"), JobType.valueOf(rs.getString("type").toUpperCase()), rs.getString("job_key"),
                    JobStatus.valueOf(rs.getString("status").toUpperCase()), rs.getDouble("progress"),
                    error == null ? null : StudioJson.mapper().readValue(error, ErrorInfo.class),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                    StudioJson.mapper().readValue(rs.getString("payload"), MAP));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable job row: " + e.getMessage(), e);
        }
    }

    private static void signal(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload);
            ps.execute();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is going anyway
        }
    }

    private static String typeName(JobType type) {
        return type.name().toLowerCase();
    }
}
