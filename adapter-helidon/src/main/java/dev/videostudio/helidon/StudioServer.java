package dev.videostudio.helidon;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.postgres.PostgresDatabase;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Starts the Video Studio server: the HTTP contract, media files, health, metrics and the studio page. */
public final class StudioServer {

    /**
     * What a node does ({@code studio.role}). Without {@code studio.database.url} only
     * {@link #ALL} exists: one process, records on the media folder (the embedded mode).
     */
    public enum Role {
        /** HTTP and jobs (the default). */
        ALL,
        /** HTTP only; jobs run on worker nodes. */
        API,
        /** Runs jobs; its HTTP port serves only {@code /health} and {@code /metrics}. */
        WORKER;

        public boolean runsJobs() {
            return this != API;
        }

        public boolean servesApi() {
            return this != WORKER;
        }

        static Role parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("studio.role must be all, api or worker, not '" + s + "'");
            }
        }
    }

    private StudioServer() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        StudioConfig studioConfig = studioConfig(config.get("studio"));
        Role role;
        PostgresDatabase db = null;
        try {
            role = Role.parse(config.get("studio.role").asString().orElse("all"));
            String url = config.get("studio.database.url").asString().orElse("").trim();
            if (!url.isEmpty()) {
                db = PostgresDatabase.connect(url, config.get("studio.database.user").asString().orElse(""),
                        config.get("studio.database.password").asString().orElse(""));
            } else if (role != Role.ALL) {
                throw new IllegalArgumentException("studio.role=" + role.name().toLowerCase(Locale.ROOT)
                        + " needs the distributed mode: set studio.database.url (STUDIO_DATABASE_URL)");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("studio: " + e.getMessage());
            System.exit(2);
            return;
        }
        PostgresDatabase database = db;
        JobScheduler[] jobs = new JobScheduler[1];
        VideoStudio.Builder builder = VideoStudio.builder().config(studioConfig);
        if (database != null) {
            database.configure(builder, role.runsJobs());
            builder.jobScheduler(parts -> jobs[0] = new JobMetrics(database.jobScheduler(parts.config(), role.runsJobs()),
                    database::jobCounts));
        } else {
            builder.jobScheduler(parts -> jobs[0] = new JobMetrics(JobScheduler.local(parts.mediaRoot(), parts.config()), null));
        }
        VideoStudio studio = builder.build();
        studio.recover(); // before serving: leftovers of a crash go, interrupted jobs run again
        WebServer server = start(studio, config, role, database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            studio.close();
            jobs[0].close();
            if (database != null) {
                database.close();
            }
        }));
        System.out.println("Video Studio is running at http://localhost:" + server.port()
                + "/ (media root " + studio.mediaRoot().root()
                + (database == null ? "" : ", database " + database.describe() + ", role " + role.name().toLowerCase(Locale.ROOT))
                + ")");
    }

    /** Starts a server over {@code studio}; {@code config} is the root config (its {@code server} node is used). */
    public static WebServer start(VideoStudio studio, Config config) {
        return start(studio, config, Role.ALL, null);
    }

    /**
     * Starts a server over {@code studio} in a role; {@code database} (null in the embedded mode)
     * adds a readiness check.
     */
    public static WebServer start(VideoStudio studio, Config config, Role role, PostgresDatabase database) {
        Path webRoot = Path.of(config.get("studio.web.root").asString().orElse("examples/web-studio/dist"));
        return WebServer.builder()
                .config(config.get("server"))
                .addFeature(Observability.feature(studio, database))
                .routing(routing -> {
                    if (role.servesApi()) {
                        StudioRoutes.register(routing, studio, webRoot);
                    } else {
                        StudioRoutes.registerErrors(routing);
                    }
                })
                .build()
                .start();
    }

    /** Maps the {@code studio} config node onto the core settings. */
    public static StudioConfig studioConfig(Config studio) {
        StudioConfig d = StudioConfig.defaults();
        return StudioConfig.builder()
                .mediaRoot(Path.of(studio.get("media.root").asString().orElse(d.mediaRoot().toString())))
                .ffmpegPath(optionalPath(studio.get("ffmpeg.path")))
                .ffprobePath(optionalPath(studio.get("ffmpeg.ffprobe")))
                .uploadLimitBytes(studio.get("upload.limit").asLong().orElse(d.uploadLimitBytes()))
                .maxDurationSeconds(studio.get("limits.duration").asDouble().orElse(d.maxDurationSeconds()))
                .maxFramePixels(studio.get("limits.pixels").asLong().orElse(d.maxFramePixels()))
                .jobConcurrency(studio.get("jobs.concurrency").asInt().orElse(d.jobConcurrency()))
                .jobQueueLength(studio.get("jobs.queue").asInt().orElse(d.jobQueueLength()))
                .ffmpegTimeout(Duration.ofSeconds(studio.get("ffmpeg.timeout").asLong().orElse(d.ffmpegTimeout().toSeconds())))
                .proxyHeight(studio.get("proxy.height").asInt().orElse(d.proxyHeight()))
                .cacheEntries(studio.get("proxy.cache").asInt().orElse(d.cacheEntries()))
                .build();
    }

    private static Path optionalPath(Config node) {
        return node.asString().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    }
}
