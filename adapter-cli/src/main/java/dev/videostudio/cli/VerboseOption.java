package dev.videostudio.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: library logs at INFO (Jaffree's process lines, ffmpeg's messages). It takes
 * effect in {@link StudioCli#main}, before any logger exists; here it only makes the option valid.
 */
final class VerboseOption {

    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = "--verbose", description = "also print the logs of Jaffree and ffmpeg")
    boolean verbose;
}
