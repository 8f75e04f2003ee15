package dev.videostudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.internal.FileLocks;
import dev.videostudio.job.JobScheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up recovery removes what a crash left behind and nothing a live process is writing:
 * checked against a second JVM holding its files, since OS file locks are per process.
 */
class RecoveryTest {

    @TempDir
    Path dir;

    /** What a live process writing into the media root holds: run by {@link #liveWriter} as a separate JVM. */
    public static final class LiveWriter {
        public static void main(String[] args) throws Exception {
            MediaRoot root = new MediaRoot(Path.of(args[0]));
            root.prepare();
            Path tmp = MediaRoot.tempSibling(root.assets().resolve("a_live"));
            // an upload being probed: the probe reads the locked file and must not drop the lock
            try (var out = FileLocks.output(tmp)) {
                Files.copy(Path.of(args[1]), out);
            }
            StudioConfig config = StudioConfig.defaults().withMediaRoot(root.root());
            FFmpegTools.locate(config).probe(tmp);
            Path upload = MediaRoot.tempSibling(root.assets().resolve("a_renamed.mp4"));
            // an upload between its rename and its record
            MediaRoot.moveKeepingLock(upload, root.assets().resolve("a_renamed.mp4"));
            Path scratch = root.temp().resolve("render.webm");
            Files.writeString(scratch, "half a render");
            JobScheduler.local(root, config).start();
            System.out.println("ready " + tmp.getFileName() + " " + root.temp().getFileName());
            System.out.flush();
            // hold everything until the test closes our input
            while (System.in.read() >= 0) {
                Thread.onSpinWait();
            }
        }
    }

    private Process liveWriter() throws Exception {
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        // the tests may run on the module path (core has a module-info): the child takes it all as a class path
        java.util.List<String> path = new java.util.ArrayList<>();
        path.add(Path.of(LiveWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String p : new String[] {System.getProperty("jdk.module.path"), System.getProperty("java.class.path")}) {
            if (p != null && !p.isBlank()) {
                path.add(p);
            }
        }
        return new ProcessBuilder(javaBinary, "-cp", String.join(java.io.File.pathSeparator, path), LiveWriter.class.getName(),
                dir.toString(), Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"), "flower.mp4")
                        .toAbsolutePath().toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void removesCrashLeftoversButNothingALiveProcessWrites() throws Exception {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        Process child = liveWriter();
        try {
            String[] ready = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                    .readLine().split(" ");
            assertEquals("ready", ready[0]);
            Path childTemp = root.assets().resolve(ready[1]);
            Path childSession = dir.resolve("tmp").resolve(ready[2]);
            Path childUpload = root.assets().resolve("a_renamed.mp4");
            // what a crashed process left
            Path deadTemp = root.assets().resolve(".tmp-w_dead-a_x");
            Files.writeString(deadTemp, "x");
            Path deadSession = Files.createDirectories(dir.resolve("tmp").resolve("s1-dead"));
            Files.writeString(deadSession.resolve("render.webm"), "x");
            Path deadUpload = root.assets().resolve("a_orphan.mp4");
            Files.writeString(deadUpload, "renamed, then the process died before the record");
            // this process's own file in progress
            Path mine = MediaRoot.tempSibling(root.segments().resolve("v-1.webm"));

            assertTrue(FileLocks.inUse(childTemp), "the other process's lock is seen, after it probed the file too");
            assertEquals(2, root.removeLeftovers());
            StudioConfig config = StudioConfig.defaults().withMediaRoot(dir);
            assertEquals(1, AssetStore.onDisk(root, FFmpegTools.locate(config), config).recover());
            assertFalse(Files.exists(deadTemp));
            assertFalse(Files.exists(deadSession));
            assertFalse(Files.exists(deadUpload));
            assertTrue(Files.exists(childTemp), "a temporary file being written is kept");
            assertTrue(Files.exists(childSession.resolve("render.webm")), "a live process's scratch folder is kept");
            assertTrue(Files.exists(childUpload), "an upload waiting for its record is kept");
            assertTrue(Files.exists(mine), "our own file in progress is kept");

            StudioException claimed = assertThrows(StudioException.class,
                    () -> JobScheduler.local(root, config).start());
            assertEquals("jobs_in_use", claimed.code());

            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            root.removeLeftovers();
            AssetStore.onDisk(root, FFmpegTools.locate(config), config).recover();
            assertFalse(Files.exists(childTemp), "once its writer is gone, it is a leftover");
            assertFalse(Files.exists(childSession));
            assertFalse(Files.exists(childUpload));
            assertTrue(Files.exists(mine));
            MediaRoot.deleteQuietly(mine);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void buildingAStudioRemovesNothingRecoverDoes() throws Exception {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        Path leftover = root.timelines().resolve(".tmp-w_x-tl_half.json");
        Files.writeString(leftover, "{");
        Path orphan = root.assets().resolve("a_orphan.mp4");
        Files.writeString(orphan, "x");
        try (VideoStudio studio = VideoStudio.builder().mediaRoot(dir).build()) {
            assertTrue(Files.exists(leftover));
            assertTrue(Files.exists(orphan));
            studio.recover();
            assertFalse(Files.exists(leftover));
            assertFalse(Files.exists(orphan));
        }
    }

    @Test
    void closeStopsOnlyWhatTheBuilderMade() throws Exception {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        JobScheduler mine = JobScheduler.local(root, StudioConfig.defaults().withMediaRoot(dir));
        try (VideoStudio studio = VideoStudio.builder().mediaRoot(dir).jobScheduler(mine).build()) {
            assertEquals(mine, studio.jobs());
        }
        // still running: it accepts and runs work
        mine.register(dev.videostudio.job.JobType.EDIT_PROXY, ctx -> { });
        var job = mine.submit(dev.videostudio.job.JobType.EDIT_PROXY, "k", java.util.Map.of());
        assertEquals(dev.videostudio.job.JobStatus.READY,
                mine.await(job.jobId(), java.time.Duration.ofSeconds(30)).orElseThrow().status());
        mine.close();
        assertThrows(StudioException.class,
                () -> mine.submit(dev.videostudio.job.JobType.EDIT_PROXY, "k2", java.util.Map.of()));
    }
}
