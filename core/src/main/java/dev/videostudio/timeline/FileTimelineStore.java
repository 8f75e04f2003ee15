package dev.videostudio.timeline;

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

    private final MediaRoot root;
    private final AssetLookup assets;
    private final Map<String, TimelineRecord> timelines = new ConcurrentHashMap<>();

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
            TimelineRecord r = TimelineRecord.fromJson(StudioJson.mapper().readTree(file.toFile()));
            timelines.put(r.timeline().timelineId(), r);
        } catch (IOException | RuntimeException e) {
            // one damaged file must not stop the server; it stays on disk for a person to look at
            LOG.warn("skipping unreadable timeline file {}: {}", file, e.getMessage());
        }
    }

    @Override
    public synchronized Timeline save(Timeline draft) {
        MediaRoot.requireValidId(draft.tenant(), "tenant");
        Timeline checked = TimelineJson.validate(draft, assets.forTenant(draft.tenant()));
        String id = checked.timelineId();
        Instant now = Instant.now();
        TimelineRecord stored;
        if (id != null) {
            TimelineRecord previous = timelines.get(id);
            if (previous == null) {
                throw StudioException.notFound("timeline", id);
            }
            stored = previous.update(checked, now);
        } else {
            do {
                id = MediaRoot.newId("tl");
            } while (timelines.containsKey(id));
            stored = TimelineRecord.create(checked, id, now);
        }
        write(stored);
        LOG.info("timeline {} saved: revision {}{}", id, stored.timeline().revision(),
                stored.contentChanged() ? "" : " (same content)");
        return stored.timeline();
    }

    @Override
    public synchronized Timeline updatePreview(String timelineId, ProxyPreview preview) {
        MediaRoot.requireValidId(timelineId, "timeline");
        TimelineRecord current = timelines.get(timelineId);
        if (current == null) {
            throw StudioException.notFound("timeline", timelineId);
        }
        TimelineRecord stored = current.withPreview(preview);
        write(stored);
        return stored.timeline();
    }

    @Override
    public synchronized boolean delete(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        if (!timelines.containsKey(timelineId)) {
            return false;
        }
        try {
            Files.deleteIfExists(file(timelineId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete timeline " + timelineId, e);
        }
        timelines.remove(timelineId);
        LOG.info("timeline {} deleted", timelineId);
        return true;
    }

    private void write(TimelineRecord stored) {
        MediaRoot.writeAtomically(file(stored.timeline().timelineId()),
                out -> StudioJson.mapper().writeValue(out, stored.toJson()));
        timelines.put(stored.timeline().timelineId(), stored);
    }

    private Path file(String timelineId) {
        return root.timelines().resolve(timelineId + ".json");
    }

    @Override
    public Optional<Timeline> find(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        return Optional.ofNullable(timelines.get(timelineId)).map(TimelineRecord::timeline);
    }

    @Override
    public List<Timeline> list(String tenant) {
        return timelines.values().stream().map(TimelineRecord::timeline)
                .filter(t -> tenant == null || tenant.equals(t.tenant()))
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
        return timelines.values().stream().anyMatch(r -> r.usesAsset(assetId));
    }
}
