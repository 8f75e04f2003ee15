package dev.videostudio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link JobScheduler} must do, written once: another scheduler's test extends this
 * class and implements {@link #createScheduler}. Handlers are registered before {@code start()}.
 */
public abstract class JobSchedulerContract {

    protected static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    protected Path dir;
    protected MediaRoot root;
    private final List<JobScheduler> opened = new ArrayList<>();

    /** A scheduler with empty state (no jobs) running at most 2 jobs at once. */
    protected abstract JobScheduler createScheduler(MediaRoot root, StudioConfig config);

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
}
