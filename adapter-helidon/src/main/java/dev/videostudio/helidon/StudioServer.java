package dev.videostudio.helidon;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.job.JobScheduler;
import dev.videostudio.postgres.PostgresDatabase;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Starts the Video Studio server: the HTTP contract, media files, health, metrics and the studio page. */
public final class StudioServer {

    private static final Logger LOG = LoggerFactory.getLogger(StudioServer.class);

    /**
     * What a node does ({@code studio.role}). Without {@code studio.database.url} only
     * {@link #ALL} exists: one process, records on the media folder (the embedded mode).
     */
    public enum NodeRole {
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

        static NodeRole parse(String s) {
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
        VideoStudio studio = null;
        PostgresDatabase database = null;
        JobScheduler[] jobs = new JobScheduler[1];
        try {
            Config config = Config.create();
            checkPositive(config.get("studio"), "upload.limit", "limits.duration", "limits.pixels", "jobs.concurrency",
                    "jobs.queue", "ffmpeg.timeout", "proxy.height", "proxy.cache");
            StudioConfig settings = studioConfig(config.get("studio"));
            uploadExpiry(config);
            uploadSweep(config);
            NodeRole role = NodeRole.parse(config.get("studio.role").asString().orElse("all"));
            checkPortFree(config.get("server"));
            database = connect(config, role);
            studio = build(settings, role, database, jobs);
            studio.recover(); // before serving: leftovers of a crash go, interrupted jobs run again
            WebServer server = start(studio, config, role, database);
            if (!server.isRunning() || server.port() < 0) {
                // Helidon logs why and carries on without listening: say it once and stop
                throw new IllegalStateException("the server could not listen on port "
                        + config.get("server.port").asInt().orElse(8080) + ": see the message above");
            }
            VideoStudio running = studio;
            PostgresDatabase db = database;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                running.close();
                jobs[0].close();
                if (db != null) {
                    db.close();
                }
            }));
            System.out.println("Video Studio is running at http://localhost:" + server.port()
                    + "/ (media root " + studio.mediaRoot().root()
                    + (database == null ? "" : ", database " + database.describe() + ", role " + role.name().toLowerCase(Locale.ROOT))
                    + ")");
        } catch (RuntimeException e) {
            // an expected start-up failure is one line naming the cause and the fix, not a stack trace
            System.err.println("studio: cannot start: " + StartupFailure.explain(e));
            if (studio != null) {
                studio.close();
            }
            if (jobs[0] != null) {
                jobs[0].close();
            }
            if (database != null) {
                database.close();
            }
            System.exit(1);
        }
    }

    /** The distributed mode's database when {@code studio.database.url} is set, else null (embedded mode). */
    private static PostgresDatabase connect(Config config, NodeRole role) {
        String url = config.get("studio.database.url").asString().orElse("").trim();
        if (url.isEmpty()) {
            if (role != NodeRole.ALL) {
                throw new IllegalArgumentException("studio.role=" + role.name().toLowerCase(Locale.ROOT)
                        + " needs the distributed mode: set studio.database.url (STUDIO_DATABASE_URL)");
            }
            return null;
        }
        return PostgresDatabase.connect(url, config.get("studio.database.user").asString().orElse(""),
                config.get("studio.database.password").asString().orElse(""));
    }

    /** The studio on the database's stores and job engine, or on the media folder's (embedded). */
    private static VideoStudio build(StudioConfig settings, NodeRole role, PostgresDatabase database, JobScheduler[] jobs) {
        VideoStudio.Builder builder = VideoStudio.builder().config(settings);
        if (database != null) {
            database.configure(builder, role.runsJobs());
            builder.jobScheduler(parts -> jobs[0] = new JobMetrics(database.jobScheduler(parts.config(), role.runsJobs()),
                    database::jobCounts));
        } else {
            builder.jobScheduler(parts -> jobs[0] = new JobMetrics(JobScheduler.local(parts.mediaRoot(), parts.config()), null));
        }
        return builder.build();
    }

    /** Names the key of a number that is not one, or not positive (the core's check cannot name keys). */
    private static void checkPositive(Config studio, String... keys) {
        for (String key : keys) {
            var value = studio.get(key).asString();
            if (value.isPresent()) {
                double n;
                try {
                    n = Double.parseDouble(value.get().strip());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (!(n > 0)) {
                    throw new IllegalArgumentException("studio." + key + " must be a positive number, not '" + value.get() + "'");
                }
            }
        }
    }

    /**
     * Fails with a {@link java.net.BindException} when the configured port is taken, before
     * Helidon tries (it would log a stack trace and go on without listening).
     */
    private static void checkPortFree(Config server) {
        int port = server.get("port").asInt().orElse(8080);
        if (port == 0) {
            return;
        }
        String host = server.get("host").asString().orElse("0.0.0.0");
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is taken",
                    new java.net.BindException("port " + port + " on " + host + " is already in use"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts a server over {@code studio}; {@code config} is the root config (its {@code server} node is used). */
    public static WebServer start(VideoStudio studio, Config config) {
        return start(studio, config, NodeRole.ALL, null);
    }

    /**
     * Starts a server over {@code studio} in a role; {@code database} (null in the embedded mode)
     * adds a readiness check.
     */
    public static WebServer start(VideoStudio studio, Config config, NodeRole role, PostgresDatabase database) {
        Path webRoot = Path.of(config.get("studio.web.root").asString().orElse("examples/web-studio/dist"));
        AccessConfig access = AccessConfig.from(config.get("studio"));
        StorageGuard storage = new StorageGuard(studio.mediaRoot().root(), access.storageReserve());
        WebServerConfig.Builder server = WebServer.builder()
                .config(config.get("server"))
                .addFeature(Observability.feature(studio, storage, !access.authOn(), database))
                .routing(routing -> {
                    if (role.servesApi()) {
                        StudioRoutes.register(routing, studio, webRoot, access, storage, uploadExpiry(config),
                                uploadSweep(config));
                    } else {
                        StudioRoutes.registerWorker(routing, access, storage);
                    }
                });
        if (role.servesApi()) {
            // the hand-written document META-INF/openapi.yaml at /openapi
            server.addFeature(io.helidon.openapi.OpenApiFeature.builder().build());
        }
        bind(server, access);
        if (!access.corsOrigins().isEmpty()) {
            server.addFeature(cors(access));
        }
        return server.build().start();
    }

    /**
     * Without auth the server listens on loopback only, whatever {@code server.host} says, unless
     * {@code studio.auth.allow-anonymous-remote=true}: anyone who reaches the port could otherwise
     * list, download, delete and render everything.
     */
    private static void bind(WebServerConfig.Builder server, AccessConfig access) {
        String configured = server.host();
        String host = listenHost(configured, access);
        if (access.authOn()) {
            LOG.info("auth mode {}: listening on {}", access.mode().name().toLowerCase(java.util.Locale.ROOT), host);
        } else if (!host.equals(configured)) {
            server.host(host);
            LOG.warn("auth mode none: listening on {} instead of {}; set studio.auth.mode=token or jwt "
                    + "(or studio.auth.allow-anonymous-remote=true) to accept remote callers", host, configured);
        } else if (isLoopback(host)) {
            LOG.info("auth mode none: listening on {} (loopback) only", host);
        } else {
            LOG.warn("auth mode none with studio.auth.allow-anonymous-remote=true: listening on {}; "
                    + "anyone who reaches this port can read, change and delete everything", host);
        }
    }

    /** The host to listen on: the configured one, except loopback for anonymous access not explicitly opened. */
    static String listenHost(String configured, AccessConfig access) {
        if (access.authOn() || access.allowAnonymousRemote() || isLoopback(configured)) {
            return configured;
        }
        return "127.0.0.1";
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** Helidon's CORS for the configured origins only; the API takes its credentials from a header, never cookies. */
    private static CorsFeature cors(AccessConfig access) {
        return CorsFeature.create(b -> b.addDefaults(false).pathsDiscoverServices(false)
                .addPath(p -> p.pathPattern("/*")
                        .allowOrigins(new java.util.HashSet<>(access.corsOrigins()))
                        .allowMethods(java.util.Set.of("GET", "HEAD", "POST", "PATCH", "DELETE"))
                        .allowHeaders(java.util.Set.of("Authorization", "Content-Type", "Range", "If-None-Match",
                                "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata"))
                        .exposeHeaders(java.util.Set.of("Location", "Retry-After", "ETag", "Content-Range",
                                "Asset-Id", "Upload-Offset", "WWW-Authenticate"))
                        .allowCredentials(false)));
    }

    /** How long a resumable upload is kept without progress ({@code studio.upload.expiry}, seconds). */
    static Duration uploadExpiry(Config config) {
        long seconds = config.get("studio.upload.expiry").asLong().orElse(86_400L);
        if (seconds <= 0) {
            throw new IllegalArgumentException("studio.upload.expiry must be a positive number of seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * How often abandoned resumable uploads are looked for in the background
     * ({@code studio.upload.sweep}, seconds).
     */
    static Duration uploadSweep(Config config) {
        long seconds = config.get("studio.upload.sweep").asLong().orElse(60L);
        if (seconds <= 0) {
            throw new IllegalArgumentException("studio.upload.sweep must be a positive number of seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
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
                .waveformRecheck(seconds(studio.get("waveform.recheck"), d.waveformRecheck()))
                .build();
    }

    /** A number of seconds (fractions allowed), 0 or more. */
    private static Duration seconds(Config node, Duration fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String text = node.asString().orElse("");
        double s;
        try {
            s = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            s = -1;
        }
        if (!(s >= 0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException(node.key() + " must be a number of seconds, 0 or more, not '" + text + "'");
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private static Path optionalPath(Config node) {
        return node.asString().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    }
}
