package dev.videostudio.helidon;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the Video Studio server: the HTTP contract, media files, health, metrics and the studio page. */
public final class StudioServer {

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
        return WebServer.builder()
                .config(config.get("server"))
                .addFeature(Observability.feature(studio))
                // the hand-written document META-INF/openapi.yaml at /openapi
                .addFeature(io.helidon.openapi.OpenApiFeature.builder().build())
                .routing(routing -> StudioRoutes.register(routing, studio, webRoot, uploadExpiry(config)))
                .build()
                .start();
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
        return new StudioConfig(
                Path.of(studio.get("media.root").asString().orElse(d.mediaRoot().toString())),
                optionalPath(studio.get("ffmpeg.path")),
                optionalPath(studio.get("ffmpeg.ffprobe")),
                studio.get("upload.limit").asLong().orElse(d.uploadLimitBytes()),
                studio.get("limits.duration").asDouble().orElse(d.maxDurationSeconds()),
                studio.get("limits.pixels").asLong().orElse(d.maxFramePixels()),
                studio.get("jobs.concurrency").asInt().orElse(d.jobConcurrency()),
                studio.get("jobs.queue").asInt().orElse(d.jobQueueLength()),
                Duration.ofSeconds(studio.get("ffmpeg.timeout").asLong().orElse(d.ffmpegTimeout().toSeconds())),
                studio.get("proxy.height").asInt().orElse(d.proxyHeight()),
                studio.get("proxy.cache").asInt().orElse(d.cacheEntries()));
    }

    private static Path optionalPath(Config node) {
        return node.asString().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
    }
}
