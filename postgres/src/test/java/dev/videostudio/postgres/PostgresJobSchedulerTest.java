package dev.videostudio.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.job.Job;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.job.JobStatus;
import dev.videostudio.job.JobType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract on PostgreSQL, plus what only a cluster has: several nodes on one database. */
class PostgresJobSchedulerTest extends SchedulerPromisesContract {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private PostgresDatabase db;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    @Override
    protected JobScheduler scheduler(int concurrency, int queue, boolean sameStore) {
        if (db == null || !sameStore) {
            db = TestDatabase.connect();
            opened.add(0, db); // closed last
        }
        return node(db, concurrency, queue, true, PostgresJobScheduler.Options.defaults());
    }

    private JobScheduler node(PostgresDatabase on, int concurrency, int queue, boolean runsJobs, PostgresJobScheduler.Options o) {
        StudioConfig config = StudioConfig.builder().mediaRoot(Path.of("unused")).jobConcurrency(concurrency).jobQueueLength(queue).build();
        JobScheduler s = new PostgresJobScheduler(on.dataSource(), config, runsJobs, o);
        opened.add(s);
        return s;
    }

    @Override
    protected int rounds() {
        return 5;
    }

    @Test
    void hundredIdenticalSubmitsOverTwoNodesMakeOneJob() throws Exception {
        JobScheduler a = scheduler(2, 8);
        JobScheduler b = node(db, 2, 8, true, PostgresJobScheduler.Options.defaults());
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        for (JobScheduler s : List.of(a, b)) {
            s.register(JobType.ASSET_WAVEFORM, ctx -> {
                runs.incrementAndGet();
                release.await(20, TimeUnit.SECONDS);
            });
            s.start();
        }
        int n = 100;
        CyclicBarrier barrier = new CyclicBarrier(n);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JobScheduler s = i % 2 == 0 ? a : b;
            Thread t = new Thread(() -> {
                try {
                    barrier.await();
                    ids.add(s.submit(JobType.ASSET_WAVEFORM, "asset:same", Map.of()).jobId());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, ids.size(), "identical submits made several jobs: " + ids);
        release.countDown();
        assertEquals(JobStatus.READY, b.await(ids.iterator().next(), WAIT).orElseThrow().status());
        assertEquals(1, runs.get());
    }

    @Test
    void apiNodeSeesProgressAndCancelsAJobRunningOnAWorker() throws Exception {
        JobScheduler worker = scheduler(1, 8);
        JobScheduler api = node(db, 1, 8, false, PostgresJobScheduler.Options.defaults());
        CountDownLatch started = new CountDownLatch(1);
        long[] stoppedAt = {0};
        worker.register(JobType.VIDEO_PROXY, ctx -> {
            started.countDown();
            for (int i = 1; !ctx.isCancelled(); i++) {
                ctx.progress(Math.min(0.9, i / 1000.0));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    // a cancel interrupts; the loop sees isCancelled()
                }
            }
            stoppedAt[0] = System.nanoTime();
        });
        worker.start();
        api.start();
        Job job = api.submit(JobType.VIDEO_PROXY, "tl:x", Map.of("timeline_id", "x"));
        assertTrue(started.await(20, TimeUnit.SECONDS));
        List<Job> seen = Collections.synchronizedList(new ArrayList<>());
        api.subscribe(job.jobId(), seen::add);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && seen.stream().noneMatch(j -> j.progress() > 0.1)) {
            Thread.sleep(50);
        }
        assertTrue(seen.stream().anyMatch(j -> j.status() == JobStatus.PROCESSING && j.progress() > 0.1),
                "the api node never saw progress: " + seen);
        assertTrue(api.find(job.jobId()).orElseThrow().progress() > 0.1);
        long cancelAt = System.nanoTime();
        assertTrue(api.cancel(job.jobId()));
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stoppedAt[0] == 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(stoppedAt[0] != 0, "the worker never stopped");
        long ms = TimeUnit.NANOSECONDS.toMillis(stoppedAt[0] - cancelAt);
        assertTrue(ms < 1000, "the worker stopped " + ms + " ms after the cancel");
        Job last = api.await(job.jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.CANCELLED, last.status());
        Thread.sleep(300);
        assertEquals(JobStatus.CANCELLED, seen.get(seen.size() - 1).status());
        assertEquals(JobStatus.CANCELLED, worker.find(job.jobId()).orElseThrow().status());
    }

    @Test
    void aJobWhoseNodeDiedRunsAgainOnAnother() throws Exception {
        JobScheduler api = scheduler(1, 8);
        Job job = api.submit(JobType.ASSET_WAVEFORM, "asset:dead", Map.of("asset_id", "d"));
        // what a node killed with kill -9 leaves: its execution picked, its heartbeat stopping
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("update scheduled_tasks set picked = true, picked_by = 'dead-node', "
                        + "last_heartbeat = now(), version = version + 1 where task_instance = ?");
                PreparedStatement row = c.prepareStatement("update studio_jobs set status = 'processing', attempt = 1, "
                        + "progress = 0.4, node = 'dead-node' where job_id = ?")) {
            ps.setString(1, job.jobId());
            assertEquals(1, ps.executeUpdate());
            row.setString(1, job.jobId());
            assertEquals(1, row.executeUpdate());
        }
        long t0 = System.nanoTime();
        JobScheduler survivor = node(db, 1, 8, true, PostgresJobScheduler.Options.defaults());
        AtomicInteger runs = new AtomicInteger();
        survivor.register(JobType.ASSET_WAVEFORM, ctx -> runs.incrementAndGet());
        survivor.start();
        Job done = survivor.await(job.jobId(), Duration.ofSeconds(40)).orElseThrow();
        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(JobStatus.READY, done.status());
        assertEquals(1, runs.get());
        assertTrue(s < 30, "re-run took " + s + " s");
    }

    @Test
    void recoverDropsFinishedJobsOlderThanAWeek() throws Exception {
        JobScheduler s = scheduler(1, 8);
        s.register(JobType.ASSET_WAVEFORM, ctx -> { });
        s.start();
        Job old = s.await(s.submit(JobType.ASSET_WAVEFORM, "old", Map.of()).jobId(), WAIT).orElseThrow();
        Job recent = s.await(s.submit(JobType.ASSET_WAVEFORM, "recent", Map.of()).jobId(), WAIT).orElseThrow();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("update studio_jobs set updated_at = now() - interval '8 days' where job_id = ?")) {
            ps.setString(1, old.jobId());
            assertEquals(1, ps.executeUpdate());
        }
        s.recover();
        assertTrue(s.find(old.jobId()).isEmpty());
        assertEquals(JobStatus.READY, s.find(recent.jobId()).orElseThrow().status());
    }

    @Test
    void queueBoundHoldsAcrossNodes() {
        JobScheduler a = scheduler(1, 3);
        JobScheduler b = node(db, 1, 3, false, PostgresJobScheduler.Options.defaults());
        // no node runs jobs: everything stays queued
        a.submit(JobType.EDIT_PROXY, "k1", Map.of());
        b.submit(JobType.EDIT_PROXY, "k2", Map.of());
        a.submit(JobType.EDIT_PROXY, "k3", Map.of());
        var busy = org.junit.jupiter.api.Assertions.assertThrows(dev.videostudio.StudioException.class,
                () -> b.submit(JobType.EDIT_PROXY, "k4", Map.of()));
        assertEquals("queue_full", busy.code());
        Map<String, Map<String, Long>> counts = ((PostgresJobScheduler) a).counts();
        assertEquals(3L, counts.get("queued").get("edit_proxy"));
    }
}
