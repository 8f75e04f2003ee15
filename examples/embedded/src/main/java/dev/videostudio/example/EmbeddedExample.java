package dev.videostudio.example;

import dev.videostudio.VideoStudio;
import java.nio.file.Path;

/** A program that uses only the core: starts a studio over a media root and lists its assets. */
public final class EmbeddedExample {

    private EmbeddedExample() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "media");
        try (VideoStudio studio = VideoStudio.builder().mediaRoot(root).build()) {
            System.out.println("assets in " + studio.mediaRoot().root() + ": " + studio.assets().list(null).size());
        }
    }
}
