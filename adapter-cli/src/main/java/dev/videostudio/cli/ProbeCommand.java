package dev.videostudio.cli;

import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.ffmpeg.MediaInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code probe FILE}: the media facts the server would record at upload, as JSON. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Prints what ffprobe finds in a media file (kind, duration, size, rate...) as JSON, "
                + "with the same restrictions as an upload.")
public final class ProbeCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    private VerboseOption verbose;

    /** Exit code when the file is not media the studio accepts. */
    static final int NOT_MEDIA = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "audio, video or image file")
    Path file;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("probe: " + file + " is not a file");
            err.flush();
            return NOT_MEDIA;
        }
        try {
            MediaInfo info = FFmpegTools.locate(StudioConfig.defaults()).probe(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println(StudioJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(info));
            out.flush();
            return 0;
        } catch (StudioException e) {
            err.println("probe: " + e.getMessage());
            err.flush();
            return e.problem() == StudioException.Problem.UNSUPPORTED_MEDIA ? NOT_MEDIA : 1;
        }
    }
}
