package dev.videostudio.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON file per timeline under {@code media/timelines/}, all held in memory too (timelines
 * are small) so reads and {@link #usesAsset} never touch the disk. Writes are serialised and go
 * to disk (temporary file, then rename) before memory changes, so a failed write changes nothing.
 */
final class FileTimelineStore implements TimelineStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileTimelineStore.class);
    /** Extra fields of the stored file: the revision of the last change of content, the hash the proxy shows. */
    private static final String CONTENT_REVISION = "content_revision";
    private static final String PREVIEW_HASH = "preview_hash";

    /**
     * A saved timeline and what the store needs to know about its content.
     *
     * @param previewHash the content hash the ready or stale proxy was rendered from, when known
     */
    private record Stored(Timeline timeline, long contentRevision, String hash, String previewHash) {
    }

    private final MediaRoot root;
    private final AssetLookup assets;
    private final Map<String, Stored> timelines = new ConcurrentHashMap<>();

    FileTimelineStore(MediaRoot root, AssetLookup assets) {
        this.root = root;
        this.assets = assets;
        load();
    }

    private void load() {
        Path dir = root.timelines();
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".json") && MediaRoot.isValidId(name.substring(0, name.length() - 5))) {
                        read(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read timelines in " + dir, e);
        }
        LOG.info("{} timelines in {}", timelines.size(), dir);
    }

    private void read(Path file) {
        try {
            ObjectMapper mapper = StudioJson.mapper();
            ObjectNode tree = (ObjectNode) mapper.readTree(file.toFile());
            Timeline t = mapper.treeToValue(tree, Timeline.class);
            long contentRevision = tree.path(CONTENT_REVISION).asLong(t.revision());
            String previewHash = tree.path(PREVIEW_HASH).isTextual() ? tree.get(PREVIEW_HASH).asText() : null;
            timelines.put(t.timelineId(), new Stored(t, contentRevision, TimelineHash.of(t), previewHash));
        } catch (IOException | RuntimeException e) {
            // one damaged file must not stop the server; it stays on disk for a person to look at
            LOG.warn("skipping unreadable timeline file {}: {}", file, e.getMessage());
        }
    }

    @Override
    public synchronized Timeline save(Timeline draft) {
        Timeline checked = TimelineJson.validate(draft, assets);
        String id = checked.timelineId();
        Stored previous = null;
        if (id != null) {
            previous = timelines.get(id);
            if (previous == null) {
                throw StudioException.notFound("timeline", id);
            }
        } else {
            do {
                id = MediaRoot.newId("tl");
            } while (timelines.containsKey(id));
        }
        Instant now = Instant.now();
        String hash = TimelineHash.of(checked);
        long revision = previous == null ? 1 : previous.timeline().revision() + 1;
        boolean changed = previous == null || !previous.hash().equals(hash);
        long contentRevision = changed ? revision : previous.contentRevision();
        ProxyPreview preview = previous == null || previous.timeline().proxyPreview() == null
                ? ProxyPreview.none() : previous.timeline().proxyPreview();
        String previewHash = previous == null ? null : previous.previewHash();
        if (changed && preview.status() == PreviewStatus.READY) {
            preview = preview.stale();
        } else if (preview.status() == PreviewStatus.STALE && hash.equals(previewHash)) {
            // an edit undone: the proxy on disk shows this content again
            preview = new ProxyPreview(PreviewStatus.READY, preview.url(), revision, 1.0, null);
        }
        Timeline saved = new Timeline(id, checked.name(), checked.width(), checked.height(), checked.fps(),
                checked.tracks(), revision, preview, previous == null ? now : previous.timeline().createdAt(), now);
        Stored stored = new Stored(saved, contentRevision, hash, previewHash);
        write(stored);
        LOG.info("timeline {} saved: revision {}{}", id, revision, changed ? "" : " (same content)");
        return saved;
    }

    @Override
    public synchronized Timeline updatePreview(String timelineId, ProxyPreview preview) {
        MediaRoot.requireValidId(timelineId, "timeline");
        Stored current = timelines.get(timelineId);
        if (current == null) {
            throw StudioException.notFound("timeline", timelineId);
        }
        ProxyPreview p = preview == null ? ProxyPreview.none() : preview;
        String previewHash = null;
        if (p.status() == PreviewStatus.READY) {
            if (p.revision() != null && p.revision() < current.contentRevision()) {
                p = p.stale();
            } else {
                previewHash = current.hash();
            }
        }
        Stored stored = new Stored(current.timeline().withProxyPreview(p), current.contentRevision(), current.hash(), previewHash);
        write(stored);
        return stored.timeline();
    }

    private void write(Stored stored) {
        ObjectNode tree = StudioJson.mapper().valueToTree(stored.timeline());
        tree.put(CONTENT_REVISION, stored.contentRevision());
        if (stored.previewHash() != null) {
            tree.put(PREVIEW_HASH, stored.previewHash());
        }
        MediaRoot.writeAtomically(file(stored.timeline().timelineId()), out -> StudioJson.mapper().writeValue(out, tree));
        timelines.put(stored.timeline().timelineId(), stored);
    }

    private Path file(String timelineId) {
        return root.timelines().resolve(timelineId + ".json");
    }

    @Override
    public Optional<Timeline> find(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        return Optional.ofNullable(timelines.get(timelineId)).map(Stored::timeline);
    }

    @Override
    public List<Timeline> list() {
        return timelines.values().stream().map(Stored::timeline)
                .sorted(Comparator.comparing(Timeline::createdAt).thenComparing(Timeline::timelineId))
                .toList();
    }

    @Override
    public synchronized boolean runIfUnused(String assetId, Runnable action) {
        if (usesAsset(assetId)) {
            return false;
        }
        action.run();
        return true;
    }

    @Override
    public boolean usesAsset(String assetId) {
        return timelines.values().stream().flatMap(s -> s.timeline().tracks().stream())
                .flatMap(t -> t.clips().stream()).anyMatch(c -> c.assetId().equals(assetId));
    }
}
