package dev.videostudio.cli;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.proxy.ProxyRenderer;
import dev.videostudio.proxy.RenderReport;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Otio;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code proxy TIMELINE -o out.webm}: renders a timeline file (.json or .otio) whose clips use
 * the assets of a media root, with the same segment cache and edit proxies as the server.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Renders a timeline (.json or .otio) to a low-resolution WebM proxy (VP9 + Opus).")
public final class ProxyCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    private VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TIMELINE", description = "timeline JSON or OpenTimelineIO file")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.webm", description = "the proxy to write")
    Path output;

    @Option(names = "--media-root", defaultValue = "media", paramLabel = "DIR",
            description = "media root whose uploaded assets the timeline uses (default: ${DEFAULT-VALUE})")
    Path mediaRoot;

    @Option(names = "--height", defaultValue = "360", paramLabel = "LINES", description = "proxy height (default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--edit-proxies", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "make missing edit proxies of the timeline's videos first, so later renders are fast (default: on)")
    boolean editProxies;

    @Option(names = "--force", description = "render every segment again instead of reusing cached ones")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            StudioConfig config = StudioConfig.builder().mediaRoot(mediaRoot).proxyHeight(height).build();
            MediaRoot root = new MediaRoot(mediaRoot);
            // not root.prepare(): a server may be using this media root and its temporary files
            for (Path dir : new Path[] {root.editProxies(), root.segments(), root.temp()}) {
                Files.createDirectories(dir);
            }
            FFmpegTools ffmpeg = FFmpegTools.locate(config);
            AssetStore assets = AssetStore.onDisk(root, ffmpeg, config);
            Otio.Imported loaded = TimelineFiles.load(input, AssetLookup.of(assets));
            if (!loaded.warnings().isEmpty()) {
                err.println("warning: " + loaded.warnings().size() + " parts of " + input + " are not rendered as they are:");
                OtioCommand.print(err, "  ", loaded.warnings());
            }
            Timeline timeline = loaded.timeline();
            ProxyRenderer renderer = ProxyRenderer.segmented(root, ffmpeg, config, assets);
            AtomicBoolean interrupted = new AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> interrupted.set(true)));
            if (editProxies) {
                makeEditProxies(timeline, assets, renderer, err, interrupted);
            }
            RenderReport report = renderer.render(timeline, output.toAbsolutePath(), !force,
                    new Bar(err, "rendering"), interrupted::get);
            err.println();
            err.printf(Locale.ROOT, "wrote %s: %.2f s of video in %.2f s (%.1fx realtime), %d of %d segments"
                            + " and %d of %d sound chunks rendered%n",
                    output, report.durationSeconds(), report.elapsedSeconds(),
                    report.durationSeconds() / Math.max(1e-3, report.elapsedSeconds()),
                    report.segmentsRendered(), report.segments(), report.soundChunksRendered(), report.soundChunks());
            err.flush();
            return 0;
        } catch (StudioException e) {
            err.println();
            err.println("error: " + e.getMessage());
            OtioCommand.print(err, "  ", e.details());
            return e.problem().httpStatus() < 500 ? OtioCommand.INVALID_INPUT : 1;
        }
    }

    private static void makeEditProxies(Timeline timeline, AssetStore assets, ProxyRenderer renderer, PrintWriter err,
                                        AtomicBoolean interrupted) {
        Set<String> ids = new LinkedHashSet<>();
        timeline.tracks().forEach(t -> t.clips().forEach(c -> ids.add(c.assetId())));
        for (String id : ids) {
            Asset asset = assets.find(id).orElse(null);
            if (asset == null || renderer.editProxy(id).isPresent()) {
                continue;
            }
            renderer.makeEditProxy(asset, new Bar(err, "edit proxy " + asset.filename()), interrupted::get)
                    .ifPresent(p -> err.println());
        }
    }

    /** A one-line progress bar on standard error, redrawn only when the percentage changes. */
    private static final class Bar implements DoubleConsumer {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final String label;
        private int shown = -1;

        Bar(PrintWriter err, String label) {
            this.err = err;
            this.label = label;
        }

        @Override
        public synchronized void accept(double fraction) {
            int percent = (int) Math.round(Math.clamp(fraction, 0, 1) * 100);
            if (percent == shown) {
                return;
            }
            shown = percent;
            int filled = percent * WIDTH / 100;
            err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + "%");
            err.flush();
        }
    }
}
