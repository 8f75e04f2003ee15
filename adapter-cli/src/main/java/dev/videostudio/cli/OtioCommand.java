package dev.videostudio.cli;

import dev.videostudio.ErrorDetail;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Otio;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineFiles;
import dev.videostudio.timeline.TimelineJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code otio import|export}: converts between OpenTimelineIO files and timeline JSON, mapping
 * media to the assets of a media root.
 */
@Command(name = "otio", mixinStandardHelpOptions = true,
        description = "Converts between OpenTimelineIO (.otio) and timeline JSON.",
        subcommands = {OtioCommand.Import.class, OtioCommand.Export.class})
public final class OtioCommand implements Runnable {

    @picocli.CommandLine.Mixin
    private VerboseOption verbose;

    /** Exit code when the input is not a valid timeline or file. */
    static final int INVALID_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options both directions share. */
    abstract static class Conversion implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
                description = "media root whose uploaded assets the timeline uses (default: ${DEFAULT-VALUE})")
        Path mediaRoot;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write (default: standard output)")
        Path output;

        /** The assets under the media root; the folder is only read. */
        AssetStore store() {
            StudioConfig config = StudioConfig.defaults().withMediaRoot(mediaRoot);
            return AssetStore.onDisk(new MediaRoot(mediaRoot), FFmpegTools.locate(config), config);
        }

        AssetLookup assets() {
            return AssetLookup.of(store());
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            try {
                convert(err);
                return 0;
            } catch (StudioException e) {
                err.println("error: " + e.getMessage());
                print(err, "  ", e.details());
                return e.problem().httpStatus() < 500 ? INVALID_INPUT : 1;
            }
        }

        abstract void convert(PrintWriter err) throws Exception;

        /** Writes {@code json} to the output file (crash-safely) or to standard output. */
        void write(Object json, PrintWriter err) throws Exception {
            var writer = StudioJson.mapper().writerWithDefaultPrettyPrinter();
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(writer.writeValueAsString(json));
                out.flush();
            } else {
                MediaRoot.writeAtomically(output.toAbsolutePath(), out -> writer.writeValue(out, json));
                err.println("wrote " + output);
            }
        }
    }

    static void print(PrintWriter err, String prefix, List<ErrorDetail> details) {
        for (ErrorDetail d : details) {
            err.println(prefix + (d.path().isEmpty() ? "" : d.path() + ": ") + d.message());
        }
        err.flush();
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Reads an .otio file and writes the timeline JSON (ready to POST to /api/generate/video/timeline).")
    static final class Import extends Conversion {
        @Parameters(index = "0", paramLabel = "FILE.otio", description = "OpenTimelineIO file")
        Path input;

        @Override
        void convert(PrintWriter err) throws Exception {
            AssetLookup assets = assets();
            Otio.Imported loaded = TimelineFiles.load(input, assets);
            if (!loaded.warnings().isEmpty()) {
                err.println("warning: " + loaded.warnings().size() + " parts of " + input + " are not imported as they are:");
                print(err, "  ", loaded.warnings());
            }
            write(TimelineJson.toTree(loaded.timeline()), err);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Reads a timeline JSON file and writes it as OpenTimelineIO.")
    static final class Export extends Conversion {
        @Parameters(index = "0", paramLabel = "TIMELINE.json", description = "timeline JSON file")
        Path input;

        @Option(names = "--file-urls", description = "point media references at the stored files (file:// URLs)"
                + " instead of the server's /media/ URLs, for editors on this machine")
        boolean fileUrls;

        @Override
        void convert(PrintWriter err) throws Exception {
            AssetStore store = store();
            AssetLookup assets = AssetLookup.of(store);
            Timeline timeline = TimelineFiles.read(input, assets);
            write(fileUrls ? Otio.exportTimeline(timeline, assets, a -> store.file(a).toAbsolutePath().toUri().toString())
                    : Otio.exportTimeline(timeline, assets), err);
        }
    }
}
