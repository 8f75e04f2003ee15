package dev.videostudio.cli;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** What the CLI tests share: running the command line in process, ingesting shared media. */
final class CliRun {

    private CliRun() {
    }

    /** Runs the CLI; returns the exit code, with what it wrote to standard error in {@code err}. */
    static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    /** An asset store over a fresh media root, as the CLI commands open it. */
    static AssetStore assetStore(Path media) {
        MediaRoot root = new MediaRoot(media);
        root.prepare();
        StudioConfig config = StudioConfig.defaults().withMediaRoot(media);
        return AssetStore.onDisk(root, FFmpegTools.locate(config), config);
    }

    /** Ingests a file of the shared test media into {@code assets}. */
    static Asset ingest(AssetStore assets, String name) throws Exception {
        Path file = Path.of(System.getProperty("videostudio.sharedMedia")).resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            return assets.ingest(dev.videostudio.VideoStudio.DEFAULT_TENANT, name, in);
        }
    }
}
