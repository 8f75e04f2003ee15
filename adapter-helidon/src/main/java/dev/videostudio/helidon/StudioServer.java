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
        Config config = Config.create();
        VideoStudio studio = VideoStudio.builder().config(studioConfig(config.get("studio"))).build();
        studio.recover(); // before serving: leftovers of a crash go, interrupted jobs run again
        WebServer server = start(studio, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            studio.close();
        }));
        System.out.println("Video Studio is running at http://localhost:" + server.port()
                + "/ (media root " + studio.mediaRoot().root() + ")");
    }

    /** Starts a server over {@code studio}; {@code config} is the root config (its {@code server} node is used). */
    public static WebServer start(VideoStudio studio, Config config) {
        Path webRoot = Path.of(config.get("studio.web.root").asString().orElse("examples/web-studio/dist"));
        return WebServer.builder()
                .config(config.get("server"))
                .addFeature(Observability.feature(studio))
                .routing(routing -> StudioRoutes.register(routing, studio, webRoot))
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
