package dev.videostudio.example;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import java.nio.file.Path;

/**
 * A program that uses only the core: builds a studio over a media root (settings from
 * {@link StudioConfig#builder()}) and lists the assets of the default tenant. It runs no
 * start-up recovery: that is the server's, which owns the media root's jobs.
 */
public final class EmbeddedExample {

    private EmbeddedExample() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "media");
        StudioConfig config = StudioConfig.builder().mediaRoot(root).jobConcurrency(1).build();
        try (VideoStudio studio = VideoStudio.builder().config(config).build()) {
            System.out.println("assets in " + studio.mediaRoot().root() + ": "
                    + studio.assets().list(VideoStudio.DEFAULT_TENANT).size());
        }
    }
}
