package dev.videostudio.asset;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.ffmpeg.MediaInfo;
import dev.videostudio.internal.FileLocks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assets as media files under {@code media/video_assets/} ({@code {asset_id}.{ext}}) with their
 * records in an {@link AssetMetadata} (JSON files next to them by default, or a database). The
 * media file is renamed into place before its record is written, so a crash in between leaves an
 * orphan file that recovery removes, never a record pointing at nothing.
 */
final class FileAssetStore implements AssetStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileAssetStore.class);
    private static final String METADATA = ".json";
    private static final int COPY_BUFFER = 64 * 1024;
    private static final int MAX_FILENAME = 255;

    private final MediaRoot root;
    private final FFmpegTools ffmpeg;
    private final StudioConfig config;
    private final AssetMetadata metadata;
    private final List<Consumer<Asset>> listeners = new CopyOnWriteArrayList<>();

    FileAssetStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        this(AssetMetadata.onDisk(root), root, ffmpeg, config);
    }

    FileAssetStore(AssetMetadata metadata, MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        this.root = root;
        this.ffmpeg = ffmpeg;
        this.config = config;
        this.metadata = metadata;
    }

    @Override
    public Asset ingest(String tenant, String filename, InputStream content) {
        MediaRoot.requireValidId(tenant, "tenant");
        String id = MediaRoot.newId("a");
        Path tmp = MediaRoot.tempSibling(root.assets().resolve(id));
        Path target = null;
        try {
            long size = copyWithLimit(content, tmp);
            MediaInfo info = ffmpeg.probe(tmp);
            checkLimits(info);
            target = root.assets().resolve(id + "." + info.extension());
            MediaRoot.moveKeepingLock(tmp, target); // an orphan to recovery only once unlocked
            Asset asset = new Asset(id, displayName(filename), AssetKind.valueOf(info.kind().toUpperCase(Locale.ROOT)),
                    info.contentType(), size, info.durationS(), info.hasAudio(), info.hasVideo(),
                    info.width(), info.height(), info.fps(), info.sampleRate(), info.channels(),
                    null, info.hasAudio() ? WaveformStatus.IDLE : WaveformStatus.UNAVAILABLE,
                    Instant.now(), target.getFileName().toString(), info.demuxer(), tenant);
            metadata.put(asset);
            FileLocks.release(target);
            LOG.info("asset {} stored: {} {} bytes, {} ({})", id, asset.kind(), size, asset.filename(), info.demuxer());
            notifyListeners(asset);
            return asset;
        } catch (IOException e) {
            MediaRoot.deleteQuietly(target);
            throw new UncheckedIOException("cannot store upload " + id, e);
        } catch (StudioException e) {
            MediaRoot.deleteQuietly(target);
            LOG.info("upload {} refused ({}): {}", id, e.code(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            MediaRoot.deleteQuietly(target);
            throw e;
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
    }

    /** Copies while counting, failing with 413 as soon as the limit is passed, not after the upload. */
    private long copyWithLimit(InputStream in, Path tmp) throws IOException {
        long limit = config.uploadLimitBytes();
        long total = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = FileLocks.output(tmp)) {
            int n;
            while ((n = readUpload(in, buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw new StudioException(Problem.TOO_LARGE, ErrorCode.TOO_LARGE,
                            "the upload is larger than the limit of " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** A failure to read the upload is the client's (cut connection, broken multipart), not the disk's. */
    private static int readUpload(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new StudioException(Problem.MALFORMED, "upload_incomplete",
                    "the upload could not be read to its end: " + e.getMessage(), List.of(), e);
        }
    }

    private void checkLimits(MediaInfo info) {
        if (info.durationS() != null && info.durationS() > config.maxDurationSeconds()) {
            throw new StudioException(Problem.TOO_LARGE, "too_long", String.format(Locale.ROOT,
                    "the media lasts %.1f s, longer than the limit of %.0f s", info.durationS(), config.maxDurationSeconds()));
        }
        if (info.width() != null && info.height() != null
                && (long) info.width() * info.height() > config.maxFramePixels()) {
            throw new StudioException(Problem.TOO_LARGE, "frame_too_large", "the frame of " + info.width() + "x"
                    + info.height() + " is larger than the limit of " + config.maxFramePixels() + " pixels");
        }
    }

    /** The client's name for display only: no folders, no control characters, bounded length. */
    static String displayName(String filename) {
        String name = filename == null ? "" : filename;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        name = name.replaceAll("\\p{Cntrl}", "").strip();
        if (name.length() > MAX_FILENAME) {
            name = name.substring(name.length() - MAX_FILENAME);
        }
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "upload" : name;
    }

    private void notifyListeners(Asset asset) {
        for (Consumer<Asset> l : listeners) {
            try {
                l.accept(asset);
            } catch (RuntimeException e) {
                LOG.warn("ingest listener failed for asset {}", asset.assetId(), e);
            }
        }
    }

    @Override
    public Optional<Asset> find(String assetId) {
        return MediaRoot.isValidId(assetId) ? metadata.get(assetId) : Optional.empty();
    }

    @Override
    public List<Asset> list(String tenant) {
        return metadata.list(tenant);
    }

    @Override
    public Path file(Asset asset) {
        return root.assets().resolve(asset.storedName());
    }

    @Override
    public boolean delete(String assetId) {
        if (!MediaRoot.isValidId(assetId)) {
            return false;
        }
        Optional<Asset> asset = metadata.get(assetId);
        // the record first: a crash before the media file goes leaves an orphan that recovery removes
        if (asset.isEmpty() || !metadata.remove(assetId)) {
            return false;
        }
        try {
            Files.deleteIfExists(file(asset.get()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete asset " + assetId, e);
        }
        LOG.info("asset {} deleted", assetId);
        return true;
    }

    @Override
    public void onIngest(Consumer<Asset> listener) {
        listeners.add(listener);
    }

    /** Removes media files no record names (left by a crash between the rename and the record). */
    @Override
    public int recover() {
        return removeOrphans();
    }

    int removeOrphans() {
        Path folder = root.assets();
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Set<String> kept = new HashSet<>();
        for (Asset a : metadata.list(null)) {
            kept.add(a.storedName());
        }
        int removed = 0;
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                // an upload between its rename and its record is locked by its writer: left alone
                if (!kept.contains(name) && !name.endsWith(JsonAssetMetadata.SUFFIX) && !name.startsWith(".")
                        && Files.isRegularFile(f) && FileLocks.deleteIfUnused(f)) {
                    LOG.info("removed orphan upload {}", f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        return removed;
    }
}
