package dev.videostudio.helidon;

import dev.videostudio.VideoStudio;
import dev.videostudio.postgres.PostgresDatabase;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /health} (ffmpeg found, media root writable, in the distributed mode the database
 * reachable: 200 when all hold, 503 otherwise, JSON with one entry per check; {@code /health/ready}
 * and {@code /health/live} split them, and every check is a readiness one) and Prometheus metrics at {@code /metrics}, through Helidon's observe
 * feature mounted at the root instead of its default {@code /observe}.
 */
final class Observability {

    private Observability() {
    }

    /**
     * @param database  the distributed mode's database (a readiness check), or null
     * @param showPaths false when auth is on: {@code /health} stays public (load balancers call it
     *                  without a token), so it must not show the server's folders then
     */
    static ObserveFeature feature(VideoStudio studio, StorageGuard storage, boolean showPaths, PostgresDatabase database) {
        var builder = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> ffmpeg(studio, showPaths), HealthCheckType.READINESS, "ffmpeg")
                .addCheck(() -> mediaRoot(studio, storage, showPaths), HealthCheckType.READINESS, "media_root");
        if (database != null) {
            // readiness only: a node whose database is down is alive (it answers 503 and waits)
            builder.addCheck(() -> database(database, showPaths), HealthCheckType.READINESS, "database");
        }
        HealthObserver health = builder.build();
        return ObserveFeature.builder()
                .endpoint("/")
                .observersDiscoverServices(false)
                .addObserver(health)
                .addObserver(MetricsObserver.create())
                .build();
    }

    static HealthCheckResponse ffmpeg(VideoStudio studio, boolean showPaths) {
        Path ffmpeg = studio.ffmpeg().ffmpegBinary();
        Path ffprobe = studio.ffmpeg().ffprobeBinary();
        boolean ok = Files.isExecutable(ffmpeg) && Files.isExecutable(ffprobe);
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(ok);
        if (showPaths) {
            b.detail("ffmpeg", ffmpeg.toString()).detail("ffprobe", ffprobe.toString());
        }
        return b.build();
    }

    static HealthCheckResponse database(PostgresDatabase database, boolean showPaths) {
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(database.isUp());
        return (showPaths ? b.detail("url", database.describe()) : b).build();
    }

    /**
     * Writes and removes a small file in the temporary folder (the only sure test of writability) and
     * reports the free space: DOWN below {@code studio.storage.reserve}.
     */
    static HealthCheckResponse mediaRoot(VideoStudio studio, StorageGuard storage, boolean showPaths) {
        Path root = studio.mediaRoot().root();
        boolean ok;
        String error = null;
        try {
            Path probe = Files.createTempFile(studio.mediaRoot().temp(), ".tmp-health", ".txt");
            Files.delete(probe);
            ok = true;
        } catch (IOException | RuntimeException e) {
            ok = false;
            error = e.toString();
        }
        long free = storage.freeBytes();
        if (ok && !storage.enoughRoom()) {
            ok = false;
            error = "less free space than the reserve of " + storage.reserve() + " bytes";
        }
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(ok)
                .detail("free_bytes", free).detail("reserve_bytes", storage.reserve());
        if (showPaths) {
            b.detail("path", root.toString());
        }
        if (error != null) {
            b.detail("error", showPaths ? error : dev.videostudio.ErrorInfo.redactPaths(error));
        }
        return b.build();
    }
}
