package dev.videostudio.ffmpeg;

import com.github.kokorin.jaffree.ffmpeg.FFmpeg;
import com.github.kokorin.jaffree.ffmpeg.Input;
import com.github.kokorin.jaffree.ffmpeg.NullOutput;
import com.github.kokorin.jaffree.ffmpeg.Output;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import java.nio.file.Path;
import java.util.List;

/**
 * The command {@link FFmpegTools#command()} builds: Jaffree's builder, plus what is needed to run
 * it as a plain process when every input and output is a file. (Jaffree's own runner waits at
 * least 100 ms after ffmpeg exits, which a render of many short pieces pays once per piece.)
 */
final class FileCommand extends FFmpeg {

    private boolean needsJaffree;

    FileCommand(Path executable) {
        super(executable);
    }

    @Override
    public FFmpeg addInput(Input input) {
        needsJaffree |= !(input instanceof UrlInput);
        return super.addInput(input);
    }

    @Override
    public FFmpeg addOutput(Output output) {
        needsJaffree |= !(output instanceof UrlOutput || output instanceof NullOutput);
        return super.addOutput(output);
    }

    /** True when no input or output needs Jaffree's helpers (sockets, pipes). */
    boolean filesOnly() {
        return !needsJaffree;
    }

    /** The arguments after the executable, as Jaffree would pass them. */
    List<String> arguments() {
        return buildArguments();
    }
}
