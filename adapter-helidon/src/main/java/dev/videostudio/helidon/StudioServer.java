package dev.videostudio.helidon;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the Video Studio server: the HTTP contract, media files, health, metrics and the studio page. */
public final class StudioServer {

    private static final Logger LOG = LoggerFactory.getLogger(StudioServer.class);

    private StudioServer() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        VideoStudio studio = null;
        try {
            Config config = Config.create();
            checkPositive(config.get("studio"), "upload.limit", "limits.duration", "limits.pixels", "jobs.concurrency",
                    "jobs.queue", "ffmpeg.timeout", "proxy.height", "proxy.cache");
            StudioConfig settings = studioConfig(config.get("studio"));
            uploadExpiry(config);
            checkPortFree(config.get("server"));
            studio = VideoStudio.builder().config(settings).build();
            studio.recover(); // before serving: leftovers of a crash go, interrupted jobs run again
            WebServer server = start(studio, config);
            if (!server.isRunning() || server.port() < 0) {
                // Helidon logs why and carries on without listening: say it once and stop
                throw new IllegalStateException("the server could not listen on port "
                        + config.get("server.port").asInt().orElse(8080) + ": see the message above");
            }
            VideoStudio running = studio;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                running.close();
            }));
            System.out.println("Video Studio is running at http://localhost:" + server.port()
                    + "/ (media root " + studio.mediaRoot().root() + ")");
        } catch (RuntimeException e) {
            // an expected start-up failure is one line naming the cause and the fix, not a stack trace
            System.err.println("studio: cannot start: " + StartupFailure.explain(e));
            if (studio != null) {
                studio.close();
            }
            System.exit(1);
        }
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
        Path webRoot = Path.of(config.get("studio.web.root").asString().orElse("examples/web-studio/dist"));
        AccessConfig access = AccessConfig.from(config.get("studio"));
        StorageGuard storage = new StorageGuard(studio.mediaRoot().root(), access.storageReserve());
        WebServerConfig.Builder server = WebServer.builder()
                .config(config.get("server"))
                .addFeature(Observability.feature(studio, storage, !access.authOn()))
                // the hand-written document META-INF/openapi.yaml at /openapi
                .addFeature(io.helidon.openapi.OpenApiFeature.builder().build())
                .routing(routing -> StudioRoutes.register(routing, studio, webRoot, access, storage, uploadExpiry(config)));
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
