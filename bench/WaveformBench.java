import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.job.Job;
import dev.videostudio.waveform.WaveformState;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The waveform job of the server, timed: ingests FILE into a temporary media root (not timed),
 * then runs GET-waveform's job to the end (decode, peaks, bands, both files written) and reports
 * its time and the heap it needed (live heap after collections, sampled every 10 ms).
 */
public class WaveformBench {

    static volatile boolean running = true;
    static volatile long peakLive;

    /** Looked up once: listing the pools builds their names, and the sampler should not steal the job's CPU. */
    static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
            .toList();

    static long liveAfterGc() {
        long sum = 0;
        for (MemoryPoolMXBean p : HEAP_POOLS) {
            sum += p.getCollectionUsage().getUsed();
        }
        return sum;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path root = Files.createTempDirectory("waveform-bench");
        try (VideoStudio studio = VideoStudio.builder().mediaRoot(root).build()) {
            Asset asset;
            try (InputStream in = Files.newInputStream(file)) {
                asset = studio.assets().ingest(VideoStudio.DEFAULT_TENANT, file.getFileName().toString(), in);
            }
            System.gc();
            Thread.sleep(200);
            System.gc();
            long baseline = liveAfterGc();
            peakLive = baseline;
            Thread monitor = new Thread(() -> {
                while (running) {
                    peakLive = Math.max(peakLive, liveAfterGc());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            monitor.setDaemon(true);
            monitor.start();
            long t0 = System.nanoTime();
            WaveformState s = studio.waveforms().request(asset.assetId());
            Job job = studio.jobs().await(s.jobId(), Duration.ofHours(1)).orElseThrow();
            double seconds = (System.nanoTime() - t0) / 1e9;
            running = false;
            monitor.join();
            if (!"ready".equals(job.status().name().toLowerCase())) {
                throw new IllegalStateException("job ended " + job.status() + ": " + job.error());
            }
            long json = Files.size(root.resolve("waveforms").resolve(asset.assetId() + ".json"));
            System.out.printf("waveform_seconds=%.2f%n", seconds);
            System.out.printf("waveform_json_mb=%.1f%n", json / 1e6);
            System.out.printf("heap_baseline_mb=%.1f%n", baseline / 1048576.0);
            System.out.printf("heap_growth_mb=%.1f%n", (peakLive - baseline) / 1048576.0);
        } finally {
            try (var walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
