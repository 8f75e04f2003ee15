package dev.videostudio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalJobSchedulerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final List<JobScheduler> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(JobScheduler::close);
    }

    private JobScheduler scheduler(int concurrency, int queue) {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        JobScheduler s = JobScheduler.local(root, StudioConfig.builder().mediaRoot(dir).jobConcurrency(concurrency).jobQueueLength(queue).build());
        opened.add(s);
        return s;
    }

    @Test
    void runsJobToReadyWithMonotonicProgressAndPersistsIt() throws Exception {
        JobScheduler s = scheduler(2, 8);
        s.register(JobType.ASSET_WAVEFORM, ctx -> {
            for (int i = 1; i <= 10; i++) {
                ctx.progress(i / 10.0);
                ctx.progress(0.05); // going backwards is ignored
            }
        });
        s.start();
        Job job = s.submit(JobType.ASSET_WAVEFORM, "asset:a1", Map.of("asset_id", "a1"));
        assertEquals(JobStatus.QUEUED, job.status());
        List<Job> seen = Collections.synchronizedList(new ArrayList<>());
        s.subscribe(job.jobId(), seen::add);
        Job done = s.await(job.jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.READY, done.status());
        assertEquals(1.0, done.progress());
        assertEquals(Map.of("asset_id", "a1"), done.payload());
        double last = -1;
        for (Job j : List.copyOf(seen)) {
            assertTrue(j.progress() >= last, "progress went backwards: " + seen);
            last = j.progress();
        }
        assertEquals(JobStatus.READY, seen.get(seen.size() - 1).status());
        Job onDisk = StudioJson.mapper().readValue(dir.resolve("jobs").resolve(job.jobId() + ".json").toFile(), Job.class);
        assertEquals(JobStatus.READY, onDisk.status());
        assertEquals("asset:a1", onDisk.key());
        assertTrue(s.active("asset:a1").isEmpty());
        assertEquals(job.jobId(), s.latest("asset:a1").orElseThrow().jobId());
        try (var files = Files.list(dir.resolve("jobs"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "temporary files left");
        }
    }

    @Test
    void subscribersJoiningMidRunSeeStatesInOrder() throws Exception {
        JobScheduler s = scheduler(2, 8);
        AtomicBoolean stop = new AtomicBoolean();
        s.register(JobType.ASSET_WAVEFORM, ctx -> {
            // visible progress steps about every microsecond until the test has subscribed enough
            for (int i = 1; i < 990 && !stop.get(); i++) {
                ctx.progress(i / 1000.0);
                long until = System.nanoTime() + 1_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        });
        s.start();
        List<String> backwards = Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 30; round++) {
            stop.set(false);
            Job job = s.submit(JobType.ASSET_WAVEFORM, "asset:r" + round, Map.of());
            while (s.find(job.jobId()).orElseThrow().progress() == 0) {
                Thread.onSpinWait();
            }
            for (int k = 0; k < 200; k++) {
                double[] last = {-1};
                s.subscribe(job.jobId(), j -> {
                    if (j.progress() < last[0]) {
                        backwards.add(last[0] + " then " + j.progress());
                    }
                    last[0] = j.progress();
                });
            }
            stop.set(true);
            s.await(job.jobId(), WAIT).orElseThrow();
        }
        assertEquals(List.of(), backwards, "progress went backwards");
    }

    @Test
    void hundredConcurrentIdenticalSubmitsMakeOneJob() throws Exception {
        JobScheduler s = scheduler(2, 8);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        s.register(JobType.ASSET_WAVEFORM, ctx -> {
            runs.incrementAndGet();
            release.await(20, TimeUnit.SECONDS);
        });
        s.start();
        int n = 100;
        CyclicBarrier barrier = new CyclicBarrier(n);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
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
        assertEquals(JobStatus.READY, s.await(ids.iterator().next(), WAIT).orElseThrow().status());
        assertEquals(1, runs.get());
        // once final, the same key gets a new job
        Job again = s.submit(JobType.ASSET_WAVEFORM, "asset:same", Map.of());
        assertNotEquals(ids.iterator().next(), again.jobId());
    }

    @Test
    void concurrencyIsBoundedAndFullQueueIsBusy() throws Exception {
        JobScheduler s = scheduler(2, 3);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoRunning = new CountDownLatch(2);
        s.register(JobType.VIDEO_PROXY, ctx -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            twoRunning.countDown();
            release.await(20, TimeUnit.SECONDS);
            now.decrementAndGet();
        });
        s.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(s.submit(JobType.VIDEO_PROXY, "t" + i, Map.of()).jobId());
        }
        assertTrue(twoRunning.await(20, TimeUnit.SECONDS));
        for (int i = 2; i < 5; i++) {
            ids.add(s.submit(JobType.VIDEO_PROXY, "t" + i, Map.of()).jobId());
        }
        StudioException busy = assertThrows(StudioException.class, () -> s.submit(JobType.VIDEO_PROXY, "t5", Map.of()));
        assertEquals(StudioException.Problem.BUSY, busy.problem());
        assertEquals("queue_full", busy.code());
        // joining an existing key is not refused even when the queue is full
        assertEquals(ids.get(4), s.submit(JobType.VIDEO_PROXY, "t4", Map.of()).jobId());
        release.countDown();
        for (String id : ids) {
            assertEquals(JobStatus.READY, s.await(id, WAIT).orElseThrow().status());
        }
        assertEquals(2, max.get());
    }

    @Test
    void cancelStopsARunningHandlerAndAQueuedJob() throws Exception {
        JobScheduler s = scheduler(1, 8);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        s.register(JobType.VIDEO_PROXY, ctx -> {
            ran.add(ctx.jobId());
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!ctx.isCancelled() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            sawCancel.set(ctx.isCancelled());
        });
        s.start();
        Job running = s.submit(JobType.VIDEO_PROXY, "tl:1", Map.of());
        Job queued = s.submit(JobType.VIDEO_PROXY, "tl:2", Map.of());
        assertTrue(started.await(20, TimeUnit.SECONDS));
        assertTrue(s.cancel(queued.jobId()));
        assertTrue(s.cancel(running.jobId()));
        assertFalse(s.cancel(running.jobId()), "a final job cannot be cancelled twice");
        assertEquals(JobStatus.CANCELLED, s.find(running.jobId()).orElseThrow().status());
        assertEquals(JobStatus.CANCELLED, s.find(queued.jobId()).orElseThrow().status());
        // the key is free at once: a forced re-render starts a new job while the old one stops
        Job fresh = s.submit(JobType.VIDEO_PROXY, "tl:1", Map.of());
        assertNotEquals(running.jobId(), fresh.jobId());
        s.cancel(fresh.jobId());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!sawCancel.get() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(sawCancel.get(), "the running handler never saw isCancelled()");
        Thread.sleep(200);
        // (the fresh job may or may not start before its cancel: only the queued one is checked)
        assertTrue(ran.contains(running.jobId()));
        assertFalse(ran.contains(queued.jobId()), "a cancelled queued job must not run");
        assertEquals(JobStatus.CANCELLED, s.find(running.jobId()).orElseThrow().status());
    }

    @Test
    void failureKeepsTheErrorCode() throws Exception {
        JobScheduler s = scheduler(1, 8);
        s.register(JobType.ASSET_WAVEFORM, ctx -> {
            throw new StudioException(StudioException.Problem.INVALID, "no_audio", "the asset has no audio");
        });
        s.register(JobType.VIDEO_PROXY, ctx -> {
            throw new IllegalStateException("boom");
        });
        s.start();
        Job a = s.await(s.submit(JobType.ASSET_WAVEFORM, "a", Map.of()).jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.FAILED, a.status());
        assertEquals("no_audio", a.error().code());
        Job b = s.await(s.submit(JobType.VIDEO_PROXY, "b", Map.of()).jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.FAILED, b.status());
        assertEquals("job_failed", b.error().code());
        assertTrue(b.error().message().contains("boom"));
    }

    @Test
    void jobLeftProcessingOnDiskRunsAgainAtStart() throws Exception {
        // what a kill -9 during a job leaves behind
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        Instant then = Instant.now().minusSeconds(60);
        Job crashed = new Job("j_crashed", JobType.ASSET_WAVEFORM, "asset:x", JobStatus.PROCESSING, 0.4, null,
                then, then, Map.of("asset_id", "x"));
        Job waiting = new Job("j_waiting", JobType.ASSET_WAVEFORM, "asset:y", JobStatus.QUEUED, 0, null,
                then, then, Map.of("asset_id", "y"));
        Job finished = new Job("j_done", JobType.ASSET_WAVEFORM, "asset:z", JobStatus.READY, 1, null,
                then, then, Map.of("asset_id", "z"));
        for (Job j : List.of(crashed, waiting, finished)) {
            Files.write(root.jobs().resolve(j.jobId() + ".json"), StudioJson.mapper().writeValueAsBytes(j));
        }
        Files.writeString(root.jobs().resolve("garbage.json"), "{not json");

        JobScheduler s = scheduler(1, 8);
        Set<String> ran = ConcurrentHashMap.newKeySet();
        s.register(JobType.ASSET_WAVEFORM, ctx -> ran.add(ctx.payload().get("asset_id")));
        s.start();
        s.recover();
        assertEquals(JobStatus.READY, s.await("j_crashed", WAIT).orElseThrow().status());
        assertEquals(JobStatus.READY, s.await("j_waiting", WAIT).orElseThrow().status());
        assertEquals(Set.of("x", "y"), ran);
        assertEquals(JobStatus.READY, s.find("j_done").orElseThrow().status());
        Job onDisk = StudioJson.mapper().readValue(root.jobs().resolve("j_crashed.json").toFile(), Job.class);
        assertEquals(JobStatus.READY, onDisk.status());
    }

    @Test
    void closeLeavesARunningJobToTheNextStart() throws Exception {
        JobScheduler first = scheduler(1, 8);
        CountDownLatch started = new CountDownLatch(1);
        first.register(JobType.ASSET_WAVEFORM, ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(5);
            }
            throw new InterruptedException("stopped");
        });
        first.start();
        Job job = first.submit(JobType.ASSET_WAVEFORM, "asset:k", Map.of());
        assertTrue(started.await(20, TimeUnit.SECONDS));
        first.close();

        JobScheduler second = scheduler(1, 8);
        AtomicInteger runs = new AtomicInteger();
        second.register(JobType.ASSET_WAVEFORM, ctx -> runs.incrementAndGet());
        second.start();
        second.recover();
        Job again = second.await(job.jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.READY, again.status());
        assertEquals(1, runs.get());
        assertNotNull(again.updatedAt());
    }

    @Test
    void awaitedWorkGoesBeforeQueuedPreparation() throws Exception {
        JobScheduler s = scheduler(1, 8);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        s.register(JobType.VIDEO_PROXY, ctx -> {
            order.add(ctx.payload().get("name"));
            release.await(20, TimeUnit.SECONDS);
        });
        s.register(JobType.EDIT_PROXY, ctx -> order.add(ctx.payload().get("name")));
        s.register(JobType.ASSET_WAVEFORM, ctx -> order.add(ctx.payload().get("name")));
        s.start();
        s.submit(JobType.VIDEO_PROXY, "busy", Map.of("name", "busy"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (order.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        s.submit(JobType.EDIT_PROXY, "e1", Map.of("name", "edit1"));
        s.submit(JobType.EDIT_PROXY, "e2", Map.of("name", "edit2"));
        Job w = s.submit(JobType.ASSET_WAVEFORM, "w", Map.of("name", "waveform"));
        release.countDown();
        s.await(w.jobId(), WAIT);
        for (String key : List.of("e1", "e2")) {
            s.await(s.latest(key).orElseThrow().jobId(), WAIT);
        }
        assertEquals(List.of("busy", "waveform", "edit1", "edit2"), order);
    }

    @Test
    void unknownJobsAreEmpty() {
        JobScheduler s = scheduler(1, 8);
        s.start();
        assertTrue(s.find("nope").isEmpty());
        assertFalse(s.cancel("nope"));
    }
}
