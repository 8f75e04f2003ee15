package dev.videostudio.cli;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.ffmpeg.MediaInfo;
import dev.videostudio.waveform.Waveform;
import dev.videostudio.waveform.WaveformQuery;
import dev.videostudio.waveform.WaveformService;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.DoubleConsumer;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code waveform FILE}: the waveform of a media file as audiowaveform JSON (v2) or {@code .dat},
 * and optionally a PNG picture of it.
 */
@Command(name = "waveform", mixinStandardHelpOptions = true,
        description = "Computes the waveform of a media file: JSON (BBC audiowaveform v2), .dat, PNG.")
public final class WaveformCommand implements Callable<Integer> {

    /** Exit code when the input is not usable media (no audio, not media). */
    static final int INVALID_INPUT = 2;
    /** Files at least this long get a progress bar. */
    private static final double PROGRESS_BAR_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "audio or video file")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "out.json or out.dat (default: JSON on standard output unless --png is given)")
    Path output;

    @Option(names = "--split", description = "one waveform per channel instead of the downmix")
    boolean split;

    @Option(names = "--samples-per-pixel", paramLabel = "N", description = "coarser level (multiple of 256)")
    Integer samplesPerPixel;

    @Option(names = "--pixels-per-second", paramLabel = "X", description = "coarser level in pixels per second")
    Double pixelsPerSecond;

    @Option(names = "--bits", defaultValue = "16", description = "8 or 16 (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = "--png", paramLabel = "OUT.png", description = "also draw the waveform to a PNG image")
    Path png;

    @Option(names = "--width", defaultValue = "1800", description = "PNG width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "280", description = "PNG height (default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--colors", defaultValue = "#3a7bd5,#ffffff", paramLabel = "FG[,BG]",
            description = "waveform and background colours as #rrggbb, or 'bands' to colour by frequency "
                    + "(red bass, green mids, blue highs) (default: ${DEFAULT-VALUE})")
    String colors;

    @Option(names = "--progress", negatable = true, description = "show a progress bar (default: for files of 30 s or more)")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (width < 1 || height < 1 || width > 20_000 || height > 10_000) {
                throw StudioException.malformed("--width and --height must be 1..20000 and 1..10000");
            }
            FFmpegTools ffmpeg = FFmpegTools.locate(StudioConfig.defaults());
            MediaInfo info = ffmpeg.probe(file);
            if (!info.hasAudio()) {
                throw new StudioException(StudioException.Problem.INVALID, ErrorCode.NO_AUDIO, file + " has no audio stream");
            }
            boolean bar = progress != null ? progress : info.durationS() != null && info.durationS() >= PROGRESS_BAR_SECONDS;
            ProgressBar progressBar = bar ? new ProgressBar(err) : null;
            WaveformService.Computed computed = WaveformService.compute(ffmpeg, file, info.demuxer(), info.durationS(),
                    info.sampleRate(), progressBar, () -> false);
            if (progressBar != null) {
                progressBar.end();
            }
            Waveform w = new WaveformQuery(split, samplesPerPixel, pixelsPerSecond, bits)
                    .apply(split ? computed.split() : computed.merged());
            if (output != null) {
                boolean dat = output.getFileName().toString().toLowerCase().endsWith(".dat");
                MediaRoot.writeAtomically(output.toAbsolutePath(), out -> {
                    if (dat) {
                        w.writeDat(out);
                    } else {
                        StudioJson.mapper().writeValue(out, w);
                    }
                });
            } else if (png == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.println(StudioJson.mapper().writeValueAsString(w));
                out.flush();
            }
            if (png != null) {
                BufferedImage image = draw(split ? computed.split() : computed.merged(), computed.samples());
                MediaRoot.writeAtomically(png.toAbsolutePath(), out -> ImageIO.write(image, "png", out));
            }
            return 0;
        } catch (StudioException e) {
            err.println("waveform: " + e.getMessage());
            err.flush();
            return e.problem() == StudioException.Problem.INTERNAL || e.problem() == StudioException.Problem.UNAVAILABLE
                    ? 1 : INVALID_INPUT;
        }
    }

    /** One lane per channel; each image column shows the min/max of the pixels it covers. */
    BufferedImage draw(Waveform base, long samples) {
        int spp = (int) Math.max(base.samplesPerPixel(), (samples + width - 1) / width);
        Waveform w = base.level(spp, 16);
        String[] parts = colors.split(",");
        boolean byBands = parts[0].trim().equalsIgnoreCase("bands");
        Color fg = byBands ? Color.GRAY : Color.decode(parts[0].trim());
        Color bg = parts.length > 1 ? Color.decode(parts[1].trim()) : Color.WHITE;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(bg);
        g.fillRect(0, 0, width, height);
        int lanes = w.channels();
        double laneHeight = (double) height / lanes;
        for (int x = 0; x < width && w.length() > 0; x++) {
            int from = (int) ((long) x * w.length() / width);
            int to = Math.max(from + 1, (int) ((long) (x + 1) * w.length() / width));
            if (from >= w.length()) {
                break;
            }
            if (byBands) {
                g.setColor(bandColor(w.bands(), from));
            } else {
                g.setColor(fg);
            }
            for (int ch = 0; ch < lanes; ch++) {
                int min = Integer.MAX_VALUE;
                int max = Integer.MIN_VALUE;
                for (int i = from; i < Math.min(to, w.length()); i++) {
                    min = Math.min(min, w.data()[(i * lanes + ch) * 2]);
                    max = Math.max(max, w.data()[(i * lanes + ch) * 2 + 1]);
                }
                double mid = laneHeight * ch + laneHeight / 2;
                int y1 = (int) Math.round(mid - max / 32768.0 * laneHeight / 2);
                int y2 = (int) Math.round(mid - min / 32768.0 * laneHeight / 2);
                g.drawLine(x, y1, x, Math.max(y1, y2));
            }
        }
        g.dispose();
        return image;
    }

    private static Color bandColor(Waveform.Bands bands, int i) {
        if (bands == null) {
            return Color.GRAY;
        }
        double low = bands.low()[i];
        double mid = bands.mid()[i];
        double high = bands.high()[i];
        double top = Math.max(1, Math.max(low, Math.max(mid, high)));
        return new Color((int) (40 + 215 * low / top), (int) (40 + 215 * mid / top), (int) (40 + 215 * high / top));
    }

    /** A one-line bar on standard error: {@code [#####.....]  42%}. */
    static final class ProgressBar implements DoubleConsumer {
        private final PrintWriter err;
        private int shown = -1;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void accept(double fraction) {
            int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
            if (percent == shown) {
                return;
            }
            shown = percent;
            int filled = percent * 40 / 100;
            err.print("\r[" + "#".repeat(filled) + ".".repeat(40 - filled) + "] " + String.format("%3d%%", percent));
            err.flush();
        }

        synchronized void end() {
            accept(1.0);
            err.println();
            err.flush();
        }
    }
}
