package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Uploaded media: ingest (stream to disk, probe, keep or reject), list, read and delete. Every
 * asset belongs to a tenant; {@link #find} does not scope by tenant (the record carries it and
 * callers check it), {@link #list} does.
 *
 * <p>Another backend usually replaces only where the records live: implement
 * {@link AssetMetadata} and wrap it with {@link #withMetadata}, which keeps the shared receiving,
 * probing, limit checks and file layout. The media files themselves always live under
 * {@code media/video_assets/} (a folder every process of a deployment shares).
 */
public interface AssetStore {

    /** The default store: media files and their JSON records under {@code media/video_assets/}. */
    static AssetStore onDisk(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        return new FileAssetStore(root, ffmpeg, config);
    }

    /**
     * A store whose media files live under {@code media/video_assets/} and whose records live in
     * {@code metadata} (for example a database table).
     */
    static AssetStore withMetadata(AssetMetadata metadata, MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        return new FileAssetStore(metadata, root, ffmpeg, config);
    }

    /**
     * Streams {@code content} to a temporary file, counting bytes against the upload limit as it
     * goes, probes it, and moves it into {@code media/video_assets/}. Anything rejected (too
     * large, not media, over a limit) throws a {@link dev.videostudio.StudioException} and leaves
     * no file behind.
     *
     * @param tenant   the owner, a well-formed id (400 {@code invalid_id} otherwise)
     * @param filename the client's file name, used for display only, never as a path
     */
    Asset ingest(String tenant, String filename, InputStream content);

    /** The asset with this id, of any tenant; empty when unknown or malformed (a malformed id never reaches the disk). */
    Optional<Asset> find(String assetId);

    /** The assets of one tenant, oldest first; {@code null} lists every tenant's (for administration). */
    List<Asset> list(String tenant);

    /** The stored media file of an asset. */
    Path file(Asset asset);

    /** Removes an asset's file and record; false when it did not exist. */
    boolean delete(String assetId);

    /**
     * Removes what a crash left behind (a media file no record names), never a file a live
     * process is still writing. Run once at server start ({@link dev.videostudio.VideoStudio#recover()}).
     *
     * @return how many files were removed
     */
    default int recover() {
        return 0;
    }

    /** Calls {@code listener} after each successful ingest (for example to start an edit proxy). */
    void onIngest(Consumer<Asset> listener);
}
