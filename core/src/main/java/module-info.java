/**
 * Video Studio's core: assets, waveforms, timelines, proxy previews and the jobs behind them,
 * with no web framework. Start at {@link dev.videostudio.VideoStudio#builder()}.
 *
 * <p>Exported: the facade, settings and errors ({@code dev.videostudio}) and one package per
 * capability. Not exported: the FFmpeg plumbing ({@code dev.videostudio.ffmpeg}) and file
 * locking ({@code dev.videostudio.internal}); the file implementations of the stores are
 * package-private. Adapters on the class path (the Helidon server, the command line) see
 * everything; a program on the module path uses the builders.
 */
module dev.videostudio.core {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.github.kokorin.jaffree;
    requires com.github.benmanes.caffeine;
    requires JTransforms;
    requires org.slf4j;

    exports dev.videostudio;
    exports dev.videostudio.asset;
    exports dev.videostudio.job;
    exports dev.videostudio.proxy;
    exports dev.videostudio.timeline;
    exports dev.videostudio.waveform;

    // records are read and written by Jackson, some of them package-private (proxy records, probe output)
    opens dev.videostudio to com.fasterxml.jackson.databind;
    opens dev.videostudio.asset to com.fasterxml.jackson.databind;
    opens dev.videostudio.job to com.fasterxml.jackson.databind;
    opens dev.videostudio.proxy to com.fasterxml.jackson.databind;
    opens dev.videostudio.timeline to com.fasterxml.jackson.databind;
    opens dev.videostudio.waveform to com.fasterxml.jackson.databind;
    opens dev.videostudio.ffmpeg to com.fasterxml.jackson.databind;
}
