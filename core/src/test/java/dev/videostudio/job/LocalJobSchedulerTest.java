package dev.videostudio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the local scheduler does: its job records are JSON files under {@code media/jobs/}.
 * Everything any scheduler promises is in {@link JobSchedulerContract} (run here by
 * {@link LocalJobSchedulerContractTest}).
 */
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
    void aFinishedJobIsARecordFileWithoutTemporaryFiles() throws Exception {
        JobScheduler s = scheduler(2, 8);
        s.register(JobType.ASSET_WAVEFORM, ctx -> {
            for (int i = 1; i <= 10; i++) {
                ctx.progress(i / 10.0);
            }
        });
        s.start();
        Job job = s.submit(JobType.ASSET_WAVEFORM, "asset:a1", Map.of("asset_id", "a1"));
        assertEquals(JobStatus.READY, s.await(job.jobId(), WAIT).orElseThrow().status());
        Job onDisk = StudioJson.mapper().readValue(dir.resolve("jobs").resolve(job.jobId() + ".json").toFile(), Job.class);
        assertEquals(JobStatus.READY, onDisk.status());
        assertEquals("asset:a1", onDisk.key());
        try (var files = Files.list(dir.resolve("jobs"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "temporary files left");
        }
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
}
