package dev.videostudio.asset;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Uploaded media: ingest (stream to disk, probe, keep or reject), list, read and delete.
 * Metadata persists under the media root and survives restarts.
 */
public interface AssetStore {

    /** The default store: files and metadata JSON under {@code media/video_assets/}. */
    static AssetStore onDisk(dev.videostudio.MediaRoot root, dev.videostudio.ffmpeg.FFmpegTools ffmpeg,
                             dev.videostudio.StudioConfig config) {
        return new FileAssetStore(root, ffmpeg, config);
    }

    /**
     * Streams {@code content} to a temporary file, counting bytes against the upload limit as it
     * goes, probes it, and moves it into {@code media/video_assets/}. Anything rejected (too
     * large, not media, over a limit) throws a {@link dev.videostudio.StudioException} and leaves
     * no file behind.
     *
     * @param filename the client's file name, used for display only, never as a path
     */
    Asset ingest(String filename, InputStream content);

    /**
     * Makes an asset of a file already written under the media root (a finished resumable
     * upload): the file is moved, not copied, then checked exactly as {@link #ingest} checks a
     * stream (size limit, probe, media limits). Refused, it is deleted: nothing is left behind.
     *
     * @param tenant   the owner of the asset ({@code "default"} while the studio has one tenant)
     * @param filename the client's file name, for display only
     * @param file     the written file, on the same file system as the media root
     */
    Asset ingestFile(String tenant, String filename, Path file);

    /** The asset with this id; empty when unknown or malformed (a malformed id never reaches the disk). */
    Optional<Asset> find(String assetId);

    /** All assets, oldest first. */
    List<Asset> list();

    /** The stored media file of an asset. */
    Path file(Asset asset);

    /** Removes an asset's file and metadata; false when it did not exist. */
    boolean delete(String assetId);

    /** Calls {@code listener} after each successful ingest (for example to start an edit proxy). */
    void onIngest(java.util.function.Consumer<Asset> listener);
}
