package dev.videostudio.asset;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.StudioJson;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.ffmpeg.MediaInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assets as files under {@code media/video_assets/}: {@code {asset_id}.{ext}} for the media and
 * {@code {asset_id}.json} for its metadata. The media file is renamed into place before its
 * metadata is written, so a crash in between leaves an orphan file that the next start removes,
 * never metadata pointing at nothing.
 */
final class FileAssetStore implements AssetStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileAssetStore.class);
    private static final String METADATA = ".json";
    private static final int COPY_BUFFER = 64 * 1024;
    private static final int MAX_FILENAME = 255;

    private final MediaRoot root;
    private final FFmpegTools ffmpeg;
    private final StudioConfig config;
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final List<Consumer<Asset>> listeners = new CopyOnWriteArrayList<>();

    FileAssetStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config) {
        this.root = root;
        this.ffmpeg = ffmpeg;
        this.config = config;
        load();
    }

    @Override
    public Asset ingest(String filename, InputStream content) {
        String id = MediaRoot.newId("a");
        Path tmp = MediaRoot.tempSibling(root.assets().resolve(id));
        try {
            long size = copyWithLimit(content, tmp);
            return store(id, filename, tmp, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store upload " + id, e);
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
    }

    @Override
    public Asset ingestFile(String tenant, String filename, Path file) {
        String id = MediaRoot.newId("a");
        Path tmp = MediaRoot.tempSibling(root.assets().resolve(id));
        try {
            // a move, not a copy: the file is already on the media root's disk (uploads/)
            Files.move(file, tmp);
            long size = Files.size(tmp);
            if (size > config.uploadLimitBytes()) {
                throw new StudioException(Problem.TOO_LARGE, "too_large",
                        "the upload is larger than the limit of " + config.uploadLimitBytes() + " bytes");
            }
            return store(id, filename, tmp, size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store upload " + id, e);
        } finally {
            MediaRoot.deleteQuietly(tmp);
        }
    }

    /** Probes the written temporary file {@code tmp}, checks the limits and renames it into place with its metadata. */
    private Asset store(String id, String filename, Path tmp, long size) throws IOException {
        Path target = null;
        try {
            MediaInfo info = ffmpeg.probe(tmp);
            checkLimits(info);
            target = root.assets().resolve(id + "." + info.extension());
            MediaRoot.moveIntoPlace(tmp, target);
            Asset asset = new Asset(id, displayName(filename), AssetKind.valueOf(info.kind().toUpperCase(Locale.ROOT)),
                    info.contentType(), size, info.durationS(), info.hasAudio(), info.hasVideo(),
                    info.width(), info.height(), info.fps(), info.sampleRate(), info.channels(),
                    "/media/video_assets/" + target.getFileName(), info.hasAudio() ? "idle" : "unavailable",
                    Instant.now(), target.getFileName().toString(), info.demuxer());
            MediaRoot.writeAtomically(metadata(id), StudioJson.mapper().writeValueAsBytes(asset));
            assets.put(id, asset);
            LOG.info("asset {} stored: {} {} bytes, {} ({})", id, asset.kind(), size, asset.filename(), info.demuxer());
            notifyListeners(asset);
            return asset;
        } catch (StudioException e) {
            MediaRoot.deleteQuietly(target);
            LOG.info("upload {} refused ({}): {}", id, e.code(), e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            MediaRoot.deleteQuietly(target);
            throw e;
        }
    }

    /** Copies while counting, failing with 413 as soon as the limit is passed, not after the upload. */
    private long copyWithLimit(InputStream in, Path tmp) throws IOException {
        long limit = config.uploadLimitBytes();
        long total = 0;
        byte[] buffer = new byte[COPY_BUFFER];
        try (OutputStream out = Files.newOutputStream(tmp)) {
            int n;
            while ((n = readUpload(in, buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw new StudioException(Problem.TOO_LARGE, "too_large",
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
        return MediaRoot.isValidId(assetId) ? Optional.ofNullable(assets.get(assetId)) : Optional.empty();
    }

    @Override
    public List<Asset> list() {
        return assets.values().stream()
                .sorted(Comparator.comparing(Asset::createdAt).thenComparing(Asset::assetId))
                .toList();
    }

    @Override
    public Path file(Asset asset) {
        return root.assets().resolve(asset.storedName());
    }

    @Override
    public synchronized boolean delete(String assetId) {
        if (!MediaRoot.isValidId(assetId)) {
            return false;
        }
        Asset asset = assets.remove(assetId);
        if (asset == null) {
            return false;
        }
        try {
            // metadata first: a crash before the media file goes leaves an orphan cleaned at start
            Files.deleteIfExists(metadata(assetId));
            Files.deleteIfExists(file(asset));
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

    private Path metadata(String id) {
        return root.assets().resolve(id + METADATA);
    }

    /** Reads every metadata file, then removes media files no metadata names (left by a crash). */
    private void load() {
        Path folder = root.assets();
        if (!Files.isDirectory(folder)) {
            return;
        }
        Set<String> kept = new HashSet<>();
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(METADATA) || name.startsWith(".")) {
                    continue;
                }
                try {
                    Asset a = StudioJson.mapper().readValue(f.toFile(), Asset.class);
                    if (MediaRoot.isValidId(a.assetId()) && a.storedName() != null
                            && a.storedName().equals(Path.of(a.storedName()).getFileName().toString())
                            && Files.isRegularFile(file(a))) {
                        assets.put(a.assetId(), a);
                        kept.add(a.storedName());
                        kept.add(name);
                    } else {
                        LOG.warn("ignoring asset metadata {}: its media file is missing", f);
                    }
                } catch (IOException e) {
                    LOG.warn("ignoring unreadable asset metadata {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!kept.contains(name) && !name.endsWith(METADATA) && Files.isRegularFile(f)) {
                    LOG.info("removing orphan upload {}", f);
                    MediaRoot.deleteQuietly(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
        LOG.info("{} assets loaded from {}", assets.size(), folder);
    }
}
