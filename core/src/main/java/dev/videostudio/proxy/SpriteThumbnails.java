package dev.videostudio.proxy;

import com.github.kokorin.jaffree.ffmpeg.UrlOutput;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sprites made by one ffmpeg run (fps, scale, pad, tile) into a temporary file moved into place. */
final class SpriteThumbnails implements ThumbnailStrips {

    private static final Logger LOG = LoggerFactory.getLogger(SpriteThumbnails.class);

    private final MediaRoot root;
    private final FFmpegTools ffmpeg;
    private final AssetStore assets;
    private final ProxyRenderer renderer;
    private final ConcurrentHashMap<String, CompletableFuture<Strip>> inFlight = new ConcurrentHashMap<>();

    SpriteThumbnails(MediaRoot root, FFmpegTools ffmpeg, AssetStore assets, ProxyRenderer renderer) {
        this.root = root;
        this.ffmpeg = ffmpeg;
        this.assets = assets;
        this.renderer = renderer;
    }

    @Override
    public Strip strip(String assetId) {
        Asset asset = assets.find(MediaRoot.requireValidId(assetId, "asset"))
                .orElseThrow(() -> StudioException.notFound("asset", assetId));
        if (asset.kind() != AssetKind.VIDEO || !asset.hasVideo() || asset.durationS() == null) {
            throw new StudioException(Problem.INVALID, "no_video", "asset '" + assetId + "' has no moving picture to show");
        }
        Strip planned = plan(asset);
        if (Files.isRegularFile(planned.file())) {
            return planned;
        }
        // The first request makes it; the ones arriving meanwhile wait for the same run.
        CompletableFuture<Strip> mine = new CompletableFuture<>();
        CompletableFuture<Strip> running = inFlight.putIfAbsent(assetId, mine);
        if (running != null) {
            return join(running);
        }
        try {
            mine.complete(make(asset, planned));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(assetId, mine);
        }
        return join(mine);
    }

    /** How many frames, how far apart and how large: the file name carries them, so a change of plan makes a new file. */
    static Strip plan(Asset asset, Path folder) {
        double duration = Math.max(0.04, asset.durationS());
        int frames = (int) Math.clamp(Math.ceil(duration / MIN_INTERVAL), 1, MAX_FRAMES);
        double interval = duration / frames;
        double aspect = asset.width() != null && asset.height() != null && asset.height() > 0
                ? (double) asset.width() / asset.height() : 16.0 / 9;
        int width = Math.clamp(2 * Math.round(FRAME_HEIGHT * aspect / 2), 24, 4 * FRAME_HEIGHT);
        Path file = folder.resolve(asset.assetId() + ".strip-" + frames + "x" + width + "x" + FRAME_HEIGHT + ".jpg");
        return new Strip(file, frames, interval, width, FRAME_HEIGHT);
    }

    private Strip plan(Asset asset) {
        return plan(asset, root.editProxies());
    }

    private Strip make(Asset asset, Strip s) {
        Optional<Path> proxy = renderer.editProxy(asset.assetId());
        var input = proxy.isPresent() ? ffmpeg.input(proxy.get(), "matroska") : ffmpeg.input(assets.file(asset), asset.demuxer());
        String filter = String.format(Locale.ROOT,
                "fps=1/%.6f,scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,"
                        + "setsar=1,tile=%dx1", s.interval(), s.frameWidth(), s.frameHeight(), s.frameWidth(), s.frameHeight(), s.frames());
        Path tmp = MediaRoot.tempSibling(s.file());
        long began = System.nanoTime();
        try {
            UrlOutput out = UrlOutput.toPath(tmp).setFormat("mjpeg").addArguments("-vf", filter)
                    .addArguments("-frames:v", "1").addArguments("-q:v", "5").addArgument("-an");
            ffmpeg.run(ffmpeg.command().addInput(input).addOutput(out), asset.durationS(), null, null);
            MediaRoot.moveIntoPlace(tmp, s.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + s.file(), e);
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
        LOG.info("thumbnail strip of asset {} ({} frames from the {}) made in {} s", asset.assetId(), s.frames(),
                proxy.isPresent() ? "edit proxy" : "original", String.format(Locale.ROOT, "%.2f", (System.nanoTime() - began) / 1e9));
        return s;
    }

    private static Strip join(CompletableFuture<Strip> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
