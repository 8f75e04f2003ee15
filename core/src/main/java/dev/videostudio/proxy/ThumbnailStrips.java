package dev.videostudio.proxy;

import dev.videostudio.MediaRoot;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.nio.file.Path;

/**
 * A strip of small frames along a video asset, so that an editor can find a moment of a long clip
 * by eye: one JPEG sprite (the frames side by side, in one row) made once per asset from its edit
 * proxy (the original when there is none), kept beside the edit proxy.
 */
public interface ThumbnailStrips {

    /** Height of a frame of the strip, pixels. */
    int FRAME_HEIGHT = 54;
    /** At most this many frames, one per {@link #MIN_INTERVAL} seconds of a shorter video. */
    int MAX_FRAMES = 120;
    /** Seconds between frames of a short video. */
    double MIN_INTERVAL = 1.0;

    /**
     * A made strip: frame {@code i} shows the moment {@code i * interval} seconds into the
     * source and sits at {@code i * frameWidth} pixels in the sprite.
     */
    record Strip(Path file, int frames, double interval, int frameWidth, int frameHeight) {
    }

    /** The default implementation; concurrent requests for one asset share one ffmpeg run. */
    static ThumbnailStrips create(MediaRoot root, FFmpegTools ffmpeg, AssetStore assets, ProxyRenderer renderer) {
        return new SpriteThumbnails(root, ffmpeg, assets, renderer);
    }

    /**
     * The strip of a video asset, made on the first request.
     *
     * @throws dev.videostudio.StudioException 404 for an unknown asset, 422 {@code no_video} for
     *         an asset without pictures (audio, still image)
     */
    Strip strip(String assetId);
}
