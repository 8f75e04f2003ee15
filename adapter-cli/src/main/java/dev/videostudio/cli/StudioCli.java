package dev.videostudio.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code videostudio} command line: probe, waveform and proxy over the core. */
@Command(name = "videostudio", mixinStandardHelpOptions = true, version = "videostudio 0.1.0",
        description = "Waveforms and proxy previews from the command line.",
        subcommands = {OtioCommand.class, ProbeCommand.class, WaveformCommand.class, ProxyCommand.class})
public final class StudioCli implements Runnable {

    public static void main(String[] args) {
        // slf4j-simple reads its level once, when the first logger is made: set it before anything logs
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty(VerboseOption.LEVEL_PROPERTY, "info");
        }
        System.exit(new CommandLine(new StudioCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
