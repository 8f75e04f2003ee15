package dev.videostudio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link JobScheduler} must do, written once: another scheduler's test extends this
 * class and implements {@link #createScheduler} and {@link #reopenScheduler}. Handlers are
 * registered before {@code start()}. Only what one implementation alone can do (its files, its
 * cluster) stays in that implementation's own test.
 */
public abstract class JobSchedulerContract {

    protected static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    protected Path dir;
    protected MediaRoot root;
    private final List<JobScheduler> opened = new ArrayList<>();

    /** A scheduler with empty state (no jobs), not started, for the given config. */
    protected abstract JobScheduler createScheduler(MediaRoot root, StudioConfig config);

    /**
     * A scheduler, not started, over the store of the last one created (what a restart of the
     * process sees); the test closes the previous one first.
     */
    protected abstract JobScheduler reopenScheduler(MediaRoot root, StudioConfig config);

    /** Rounds of the subscribe-while-running test; stores slower than memory may use fewer. */
    protected int subscribeRounds() {
        return 30;
    }

    @BeforeEach
    void prepareRoot() {
        root = new MediaRoot(dir);
        root.prepare();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(JobScheduler::close);
    }

    protected JobScheduler scheduler(JobHandler handler) {
        JobScheduler s = createScheduler(root, StudioConfig.builder().mediaRoot(dir).jobConcurrency(2).build());
        opened.add(s);
        s.register(JobType.ASSET_WAVEFORM, handler);
        s.start();
        return s;
    }

    /** A fresh scheduler, not started: the test registers its handlers, then starts it. */
    protected JobScheduler scheduler(int concurrency, int queue) {
        JobScheduler s = createScheduler(root, config(concurrency, queue));
        opened.add(s);
        return s;
    }

    /** A scheduler, not started, on the store of the last one (a restart). */
    protected JobScheduler restarted(int concurrency, int queue) {
        JobScheduler s = reopenScheduler(root, config(concurrency, queue));
        opened.add(s);
        return s;
    }

    private StudioConfig config(int concurrency, int queue) {
        return StudioConfig.builder().mediaRoot(dir).jobConcurrency(concurrency).jobQueueLength(queue).build();
    }

    /**
     * Submits the same key from {@code n} threads released together, thread {@code i} through
     * {@code node.apply(i)}; the job ids they got. Fails if any submit threw. Public for the
     * cluster tests of other implementations (several nodes on one store).
     */
    public static Set<String> submitAtOnce(int n, IntFunction<JobScheduler> node, JobType type, String key) throws InterruptedException {
        CyclicBarrier barrier = new CyclicBarrier(n);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JobScheduler s = node.apply(i);
            Thread t = new Thread(() -> {
                try {
                    barrier.await();
                    ids.add(s.submit(type, key, Map.of()).jobId());
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures, "submits failed");
        return ids;
    }

    @Test
    void aSecondSubmitOfTheSameKeyJoinsTheActiveJob() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        JobScheduler s = scheduler(ctx -> release.await(30, TimeUnit.SECONDS));
        Job first = s.submit(JobType.ASSET_WAVEFORM, "waveform:a1", Map.of("asset_id", "a1"));
        Job second = s.submit(JobType.ASSET_WAVEFORM, "waveform:a1", Map.of("asset_id", "a1"));
        assertEquals(first.jobId(), second.jobId());
        assertEquals(first.jobId(), s.active("waveform:a1").orElseThrow().jobId());
        release.countDown();
        Job done = s.await(first.jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.READY, done.status());
        assertTrue(s.active("waveform:a1").isEmpty());
        assertEquals(first.jobId(), s.latest("waveform:a1").orElseThrow().jobId());
        Job again = s.submit(JobType.ASSET_WAVEFORM, "waveform:a1", Map.of("asset_id", "a1"));
        assertNotEquals(first.jobId(), again.jobId(), "a final job is not joined");
    }

    @Test
    void thePayloadCarriesTheTenant() throws Exception {
        JobScheduler s = scheduler(ctx -> { });
        Job owned = s.submit(JobType.ASSET_WAVEFORM, "k1", Map.of("asset_id", "a1", Job.TENANT, "t1"));
        Job older = s.submit(JobType.ASSET_WAVEFORM, "k2", Map.of("asset_id", "a2"));
        assertEquals("t1", s.await(owned.jobId(), WAIT).orElseThrow().tenant());
        assertEquals(VideoStudio.DEFAULT_TENANT, s.await(older.jobId(), WAIT).orElseThrow().tenant());
    }

    @Test
    void cancelStopsTheJobAndFreesItsKey() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobScheduler s = scheduler(ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(5);
            }
        });
        Job job = s.submit(JobType.ASSET_WAVEFORM, "k", Map.of());
        assertTrue(started.await(30, TimeUnit.SECONDS));
        assertTrue(s.cancel(job.jobId()));
        assertEquals(JobStatus.CANCELLED, s.await(job.jobId(), WAIT).orElseThrow().status());
        assertFalse(s.cancel(job.jobId()), "already final");
        assertFalse(s.cancel("j_unknown"));
        assertTrue(s.active("k").isEmpty());
    }

    @Test
    void aFailureKeepsTheCodeOfItsStudioException() throws Exception {
        JobScheduler s = scheduler(ctx -> {
            throw new StudioException(StudioException.Problem.INVALID, ErrorCode.NO_AUDIO, "no sound");
        });
        Job failed = s.await(s.submit(JobType.ASSET_WAVEFORM, "k", Map.of()).jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("no_audio", failed.error().code());
        assertEquals(JobStatus.FAILED, s.latest("k").orElseThrow().status());
        assertTrue(s.find("j_unknown").isEmpty());
    }

    @Test
    void aHandlerThatFindsItsWorkUnwantedEndsCancelled() throws Exception {
        JobScheduler s = scheduler(ctx -> {
            throw new StudioException(StudioException.Problem.CONFLICT, ErrorCode.CANCELLED, "no longer wanted");
        });
        Job ended = s.await(s.submit(JobType.ASSET_WAVEFORM, "k", Map.of()).jobId(), WAIT).orElseThrow();
        assertEquals(JobStatus.CANCELLED, ended.status());
        assertEquals(null, ended.error());
        assertEquals(JobStatus.CANCELLED, s.find(ended.jobId()).orElseThrow().status());
        assertTrue(s.active("k").isEmpty());
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
        assertTrue(s.active("asset:a1").isEmpty());
        assertEquals(job.jobId(), s.latest("asset:a1").orElseThrow().jobId());
        // persisted: a restarted scheduler on the same store reads it back
        s.close();
        JobScheduler reread = restarted(1, 8);
        reread.start();
        Job again = reread.find(job.jobId()).orElseThrow();
        assertEquals(JobStatus.READY, again.status());
        assertEquals("asset:a1", again.key());
        assertEquals(job.jobId(), reread.latest("asset:a1").orElseThrow().jobId());
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
        for (int round = 0; round < subscribeRounds(); round++) {
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
        Set<String> ids = submitAtOnce(100, i -> s, JobType.ASSET_WAVEFORM, "asset:same");
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
        s.register(JobType.EDIT_PROXY, ctx -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            twoRunning.countDown();
            release.await(20, TimeUnit.SECONDS);
            now.decrementAndGet();
        });
        s.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(s.submit(JobType.EDIT_PROXY, "t" + i, Map.of()).jobId());
        }
        assertTrue(twoRunning.await(20, TimeUnit.SECONDS));
        for (int i = 2; i < 5; i++) {
            ids.add(s.submit(JobType.EDIT_PROXY, "t" + i, Map.of()).jobId());
        }
        StudioException busy = assertThrows(StudioException.class, () -> s.submit(JobType.EDIT_PROXY, "t5", Map.of()));
        assertEquals(StudioException.Problem.BUSY, busy.problem());
        assertEquals("queue_full", busy.code());
        // joining an existing key is not refused even when the queue is full
        assertEquals(ids.get(4), s.submit(JobType.EDIT_PROXY, "t4", Map.of()).jobId());
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
        s.register(JobType.EDIT_PROXY, ctx -> {
            ran.add(ctx.jobId());
            started.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!ctx.isCancelled() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            sawCancel.set(ctx.isCancelled());
        });
        s.start();
        Job running = s.submit(JobType.EDIT_PROXY, "tl:1", Map.of());
        Job queued = s.submit(JobType.EDIT_PROXY, "tl:2", Map.of());
        assertTrue(started.await(20, TimeUnit.SECONDS));
        assertTrue(s.cancel(queued.jobId()));
        assertTrue(s.cancel(running.jobId()));
        assertFalse(s.cancel(running.jobId()), "a final job cannot be cancelled twice");
        assertEquals(JobStatus.CANCELLED, s.find(running.jobId()).orElseThrow().status());
        assertEquals(JobStatus.CANCELLED, s.find(queued.jobId()).orElseThrow().status());
        // the key is free at once: a forced re-render starts a new job while the old one stops
        Job fresh = s.submit(JobType.EDIT_PROXY, "tl:1", Map.of());
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

        JobScheduler second = restarted(1, 8);
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
    void aWatchedJobStartsWhileBackgroundJobsHoldEverySlot() throws Exception {
        JobScheduler s = scheduler(2, 8);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoBusy = new CountDownLatch(2);
        AtomicInteger background = new AtomicInteger();
        AtomicInteger maxBackground = new AtomicInteger();
        JobHandler slow = ctx -> {
            maxBackground.accumulateAndGet(background.incrementAndGet(), Math::max);
            twoBusy.countDown();
            release.await(30, TimeUnit.SECONDS);
            background.decrementAndGet();
        };
        s.register(JobType.EDIT_PROXY, slow);
        s.register(JobType.ASSET_WAVEFORM, slow);
        CountDownLatch renderStarted = new CountDownLatch(1);
        CountDownLatch renderRelease = new CountDownLatch(1);
        AtomicInteger renders = new AtomicInteger();
        AtomicInteger maxRenders = new AtomicInteger();
        s.register(JobType.VIDEO_PROXY, ctx -> {
            maxRenders.accumulateAndGet(renders.incrementAndGet(), Math::max);
            renderStarted.countDown();
            renderRelease.await(30, TimeUnit.SECONDS);
            renders.decrementAndGet();
        });
        s.start();
        List<String> ids = new ArrayList<>();
        ids.add(s.submit(JobType.EDIT_PROXY, "e1", Map.of()).jobId());
        ids.add(s.submit(JobType.ASSET_WAVEFORM, "w1", Map.of()).jobId());
        ids.add(s.submit(JobType.EDIT_PROXY, "e2", Map.of()).jobId());
        assertTrue(twoBusy.await(20, TimeUnit.SECONDS));
        Job render = s.submit(JobType.VIDEO_PROXY, "r1", Map.of());
        Job second = s.submit(JobType.VIDEO_PROXY, "r2", Map.of());
        // every shared slot is held and none is released: the render starts in its own slot
        assertTrue(renderStarted.await(10, TimeUnit.SECONDS), "the render waited for background work");
        assertEquals(JobStatus.PROCESSING, s.find(render.jobId()).orElseThrow().status());
        assertEquals(JobStatus.QUEUED, s.find(ids.get(2)).orElseThrow().status(), "a background job took the render's slot");
        Thread.sleep(300);
        assertEquals(JobStatus.QUEUED, s.find(second.jobId()).orElseThrow().status(), "renders run one at a time");
        renderRelease.countDown();
        release.countDown();
        ids.add(render.jobId());
        ids.add(second.jobId());
        for (String id : ids) {
            assertEquals(JobStatus.READY, s.await(id, WAIT).orElseThrow().status());
        }
        assertEquals(2, maxBackground.get());
        assertEquals(1, maxRenders.get());
    }

    @Test
    void awaitedWorkGoesBeforeQueuedPreparation() throws Exception {
        JobScheduler s = scheduler(1, 8);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        s.register(JobType.EDIT_PROXY, ctx -> {
            order.add(ctx.payload().get("name"));
            if (ctx.payload().get("name").equals("busy")) {
                release.await(20, TimeUnit.SECONDS);
            }
        });
        s.register(JobType.ASSET_WAVEFORM, ctx -> order.add(ctx.payload().get("name")));
        s.start();
        s.submit(JobType.EDIT_PROXY, "busy", Map.of("name", "busy"));
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
