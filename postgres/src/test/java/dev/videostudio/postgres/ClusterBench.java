package dev.videostudio.postgres;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobStatus;
import dev.videostudio.job.JobType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./studio bench cluster}: the distributed job scheduler against the local one, with
 * worker nodes in child JVMs on one throw-away PostgreSQL.
 * <ol>
 * <li>pickup latency, submit on the api node (this JVM) to the handler starting on a worker
 *     process, with the NOTIFY wake-up and with polling only;</li>
 * <li>cost per job (submit to final, no-op handler, one at a time) against the local scheduler;</li>
 * <li>throughput of 500 short jobs (10 ms each) with one and with two worker processes.</li>
 * </ol>
 */
public final class ClusterBench {

    private static final int CONCURRENCY = 2;

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1], args[2], Boolean.parseBoolean(args[3]), Long.parseLong(args[4]));
            return;
        }
        int pickups = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (LocalPostgres pg = LocalPostgres.start()) {
            System.out.printf("machine: %d cores; PostgreSQL %s on 127.0.0.1:%d%n",
                    Runtime.getRuntime().availableProcessors(), LocalPostgres.binaries(), pg.port());
            pickup(pg, true, pickups);
            pickup(pg, false, Math.max(10, pickups / 10));
            costPerJob(pg, 300);
            throughput(pg, 1, 500);
            throughput(pg, 2, 500);
        }
    }

    // ---- the worker process ----

    /** Runs jobs until stdin closes; each handler records when it started, then sleeps {@code ms} in payload. */
    static void worker(String url, String user, boolean wake, long pollingMs) throws Exception {
        try (PostgresDatabase db = PostgresDatabase.connect(url, user, "")) {
            StudioConfig config = StudioConfig.builder().jobConcurrency(CONCURRENCY).jobQueueLength(100_000).build();
            PostgresJobScheduler.Options o = PostgresJobScheduler.Options.defaults().withWake(wake, Duration.ofMillis(pollingMs));
            try (JobScheduler s = new PostgresJobScheduler(db.dataSource(), config, true, o)) {
                for (JobType t : JobType.values()) {
                    s.register(t, ctx -> {
                        Instant started = Instant.now();
                        try (Connection c = db.dataSource().getConnection();
                                PreparedStatement ps = c.prepareStatement("insert into bench_starts values (?, ?)")) {
                            ps.setString(1, ctx.jobId());
                            ps.setLong(2, ChronoUnit.MICROS.between(Instant.EPOCH, started));
                            ps.executeUpdate();
                        }
                        long ms = Long.parseLong(ctx.payload().getOrDefault("ms", "0"));
                        if (ms > 0) {
                            Thread.sleep(ms);
                        }
                    });
                }
                s.start();
                System.out.println("worker ready");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // runs until the bench closes our stdin
                }
            }
        }
    }

    private static List<Process> startWorkers(String url, String user, int n, boolean wake, long pollingMs) throws Exception {
        String cp = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.dev.videostudio=warn",
                    "-cp", cp, ClusterBench.class.getName(), "worker", url, user, Boolean.toString(wake), Long.toString(pollingMs))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
            if (!"worker ready".equals(line)) {
                throw new IllegalStateException("worker did not start: " + line);
            }
            out.add(p);
        }
        return out;
    }

    private static void stop(List<Process> workers) throws Exception {
        for (Process p : workers) {
            p.getOutputStream().close();
        }
        for (Process p : workers) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** A fresh database with the schema and the table workers write their start times to. */
    private static PostgresDatabase database(LocalPostgres pg, String name) throws Exception {
        String url = pg.createDatabase(name);
        PostgresDatabase db = PostgresDatabase.connect(url, pg.user(), "");
        try (Connection c = db.dataSource().getConnection()) {
            c.createStatement().execute("create table bench_starts (job_id text primary key, started_micros bigint)");
        }
        return db;
    }

    // ---- 1. pickup latency ----

    private static void pickup(LocalPostgres pg, boolean wake, int n) throws Exception {
        String name = "pickup_" + (wake ? "notify" : "poll");
        try (PostgresDatabase db = database(pg, name)) {
            String url = db.describe();
            long pollingMs = PostgresJobScheduler.Options.defaults().pollingInterval().toMillis();
            List<Process> workers = startWorkers(url, pg.user(), 1, wake, pollingMs);
            JobScheduler api = new PostgresJobScheduler(db.dataSource(), StudioConfig.builder().jobConcurrency(1).jobQueueLength(100_000).build(), false,
                    PostgresJobScheduler.Options.defaults().withWake(wake, Duration.ofMillis(pollingMs)));
            api.start();
            List<Double> ms = new ArrayList<>();
            try {
                for (int i = 0; i < n + 5; i++) {
                    Job j = api.submit(JobType.ASSET_WAVEFORM, "pickup:" + i, Map.of());
                    Job done = api.await(j.jobId(), Duration.ofSeconds(60)).orElseThrow();
                    if (done.status() != JobStatus.READY) {
                        throw new IllegalStateException("job " + done);
                    }
                    long started = startedMicros(db, j.jobId());
                    if (i >= 5) { // the first few warm up the JIT and the pools
                        ms.add((started - ChronoUnit.MICROS.between(Instant.EPOCH, j.createdAt())) / 1000.0);
                    }
                    // a random pause, so that polling's phase is not always the same
                    Thread.sleep(ThreadLocalRandom.current().nextInt(20, 120));
                }
            } finally {
                api.close();
                stop(workers);
            }
            System.out.printf("pickup latency, %s (polling every %d ms), %d jobs: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    wake ? "NOTIFY wake-up" : "polling only", pollingMs, ms.size(), pct(ms, 50), pct(ms, 99), pct(ms, 100));
        }
    }

    private static long startedMicros(PostgresDatabase db, String jobId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select started_micros from bench_starts where job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- 2. cost per job against the local scheduler ----

    private static void costPerJob(LocalPostgres pg, int n) throws Exception {
        Path dir = Files.createTempDirectory("videostudio-bench-local");
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        StudioConfig config = StudioConfig.builder().mediaRoot(dir).jobConcurrency(CONCURRENCY).jobQueueLength(100_000).build();
        double local;
        try (JobScheduler s = JobScheduler.local(root, config)) {
            local = oneAtATime(s, n);
        }
        double distributed;
        try (PostgresDatabase db = database(pg, "cost")) {
            try (JobScheduler s = new PostgresJobScheduler(db.dataSource(), config, true, PostgresJobScheduler.Options.defaults())) {
                distributed = oneAtATime(s, n);
            }
        }
        System.out.printf("cost per job (submit to final, no-op handler, one at a time, in one JVM), %d jobs: "
                + "local %.2f ms (reference), PostgreSQL %.2f ms (%.1fx)%n", n, local, distributed, distributed / local);
    }

    private static double oneAtATime(JobScheduler s, int n) throws Exception {
        for (JobType t : JobType.values()) {
            s.register(t, ctx -> { });
        }
        s.start();
        for (int i = 0; i < 20; i++) { // warm-up
            s.await(s.submit(JobType.ASSET_WAVEFORM, "warm:" + i, Map.of()).jobId(), Duration.ofSeconds(30));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Job j = s.submit(JobType.ASSET_WAVEFORM, "cost:" + i, Map.of());
            if (s.await(j.jobId(), Duration.ofSeconds(30)).orElseThrow().status() != JobStatus.READY) {
                throw new IllegalStateException("job did not finish");
            }
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    // ---- 3. throughput ----

    /** All jobs are queued first, then the workers start: the figure is the workers', not the submitting node's. */
    private static void throughput(LocalPostgres pg, int workerCount, int n) throws Exception {
        String name = "throughput_" + workerCount;
        try (PostgresDatabase db = database(pg, name)) {
            JobScheduler api = new PostgresJobScheduler(db.dataSource(), StudioConfig.builder().jobConcurrency(1).jobQueueLength(100_000).build(), false,
                    PostgresJobScheduler.Options.defaults());
            api.start();
            long s0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(api.submit(JobType.EDIT_PROXY, "tp:" + i, Map.of("ms", "10")).jobId());
            }
            double submitMs = (System.nanoTime() - s0) / 1e6 / n;
            List<Process> workers = startWorkers(db.describe(), pg.user(), workerCount, true,
                    PostgresJobScheduler.Options.defaults().pollingInterval().toMillis());
            try {
                for (String id : ids) {
                    if (api.await(id, Duration.ofMinutes(5)).orElseThrow().status() != JobStatus.READY) {
                        throw new IllegalStateException("job " + id + " did not finish");
                    }
                }
                double s;
                try (Connection c = db.dataSource().getConnection();
                        ResultSet rs = c.createStatement().executeQuery("select (select min(started_micros) from bench_starts), "
                                + "(select (extract(epoch from max(updated_at)) * 1000000)::bigint from studio_jobs)")) {
                    rs.next();
                    s = (rs.getLong(2) - rs.getLong(1)) / 1e6;
                }
                System.out.printf("throughput, %d queued jobs of 10 ms, %d worker process(es) x %d threads: %.2f s from the "
                        + "first start to the last end, %.0f jobs/s (ideal %.0f); submitting took %.2f ms a job%n",
                        n, workerCount, CONCURRENCY, s, n / s, workerCount * CONCURRENCY * 100.0, submitMs);
            } finally {
                api.close();
                stop(workers);
            }
        }
    }

    private static double pct(List<Double> values, int p) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, i)));
    }
}
