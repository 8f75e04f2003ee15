package dev.videostudio.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TimelineStore} must do, written once: a backend's test extends this class
 * and implements {@link #createStore}. No media is needed: the assets are fixed records
 * ({@link #ASSETS}), {@code a_video} and {@code a_audio} of the default tenant and
 * {@code a_other} of tenant {@code other}.
 */
public abstract class TimelineStoreContract {

    protected static final String OTHER = "other";
    protected static final Asset OTHER_VIDEO = new Asset("a_other", "other.mp4", AssetKind.VIDEO, "video/mp4", 1000,
            10.0, true, true, 640, 360, 25.0, 48000, 2, null, dev.videostudio.asset.WaveformStatus.IDLE, Instant.parse("2026-01-01T00:00:00Z"),
            "a_other.mp4", null, OTHER);
    /** The assets clips may use. */
    protected static final AssetLookup ASSETS = AssetLookup.of(List.of(TestAssets.VIDEO, TestAssets.SILENT_VIDEO,
            TestAssets.AUDIO, TestAssets.IMAGE, OTHER_VIDEO));

    /**
     * A store whose clips are checked against {@code assets}. Called more than once per test: a
     * second store must see what the first saved, and each test starts with no timelines.
     */
    protected abstract TimelineStore createStore(AssetLookup assets);

    protected TimelineStore store() {
        return createStore(ASSETS);
    }

    protected static Timeline draft(double out) {
        return draft("a_video", out);
    }

    protected static Timeline draft(String assetId, double out) {
        return Timeline.draft("cut", 1280, 720, 30, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", assetId, 0, 0, out, null, false)))));
    }

    /** The timeline as a backend keeping milliseconds returns it. */
    protected static Timeline comparable(Timeline t) {
        return new Timeline(t.timelineId(), t.name(), t.width(), t.height(), t.fps(), t.tracks(), t.revision(),
                t.proxyPreview(), t.createdAt().truncatedTo(ChronoUnit.MILLIS),
                t.updatedAt().truncatedTo(ChronoUnit.MILLIS), t.tenant());
    }

    private static List<Timeline> comparable(List<Timeline> list) {
        return list.stream().map(TimelineStoreContract::comparable).toList();
    }

    @Test
    void savesUpdatesAndPersists() {
        TimelineStore store = store();
        Timeline created = store.save(draft(4));
        assertEquals(1, created.revision());
        assertEquals(VideoStudio.DEFAULT_TENANT, created.tenant());
        assertEquals(PreviewStatus.NONE, created.proxyPreview().status());
        Timeline updated = store.save(draft(5).withTimelineId(created.timelineId()));
        assertEquals(2, updated.revision());
        assertEquals(created.createdAt(), updated.createdAt());
        assertTrue(store.usesAsset("a_video"));
        assertFalse(store.usesAsset("a_audio"));

        TimelineStore reopened = store();
        assertEquals(comparable(updated), comparable(reopened.get(created.timelineId())));
        assertTrue(reopened.usesAsset("a_video"));
    }

    @Test
    void listsOneTenantOrAllOldestFirst() {
        TimelineStore store = store();
        Timeline first = store.save(draft(4));
        Timeline other = store.save(draft("a_other", 4).withTenant(OTHER));
        Timeline second = store.save(draft(2));
        assertEquals(OTHER, other.tenant());
        assertEquals(comparable(List.of(first, second)), comparable(store.list(VideoStudio.DEFAULT_TENANT)));
        assertEquals(comparable(List.of(other)), comparable(store.list(OTHER)));
        assertEquals(comparable(List.of(first, other, second)), comparable(store().list(null)));
        assertEquals(List.of(), store.list("nobody"));
        assertEquals(OTHER, store.get(other.timelineId()).tenant(), "find is not scoped: the record says whose it is");
    }

    @Test
    void anotherTenantsTimelineOrAssetIsUnknown() {
        TimelineStore store = store();
        Timeline mine = store.save(draft(4));
        StudioException update = assertThrows(StudioException.class,
                () -> store.save(draft("a_other", 3).withTimelineId(mine.timelineId()).withTenant(OTHER)));
        assertEquals(StudioException.Problem.NOT_FOUND, update.problem());
        assertEquals("not_found", update.code());
        assertEquals(comparable(mine), comparable(store.get(mine.timelineId())), "unchanged");

        StudioException asset = assertThrows(StudioException.class, () -> store.save(draft("a_video", 3).withTenant(OTHER)));
        assertEquals(TimelineJson.INVALID_CODE, asset.code());
        assertEquals("tracks[0].clips[0].asset_id", asset.details().get(0).path());
        assertEquals(List.of(), store.list(OTHER));
        assertEquals("invalid_id", assertThrows(StudioException.class,
                () -> store.save(draft(3).withTenant("../x"))).code());
    }

    @Test
    void aStaleRevisionIsAConflict() {
        TimelineStore store = store();
        Timeline t = store.save(draft(4));
        Timeline second = store.save(draft(5).withTimelineId(t.timelineId()).withRevision(1));
        assertEquals(2, second.revision());
        StudioException conflict = assertThrows(StudioException.class,
                () -> store.save(draft(6).withTimelineId(t.timelineId()).withRevision(1)));
        assertEquals(StudioException.Problem.CONFLICT, conflict.problem());
        assertEquals(TimelineRecord.REVISION_CONFLICT, conflict.code());
        assertTrue(conflict.getMessage().contains("revision 1") && conflict.getMessage().contains("revision 2"),
                conflict.getMessage());
        assertEquals(comparable(second), comparable(store().get(t.timelineId())), "the conflicting save changed nothing");
        assertEquals(3, store.save(draft(6).withTimelineId(t.timelineId())).revision(), "no revision: replaces");
        assertEquals(4, store.save(draft(7).withTimelineId(t.timelineId()).withRevision(3)).revision());
    }

    @Test
    void unknownMalformedAndInvalidChangeNothing() {
        TimelineStore store = store();
        StudioException unknown = assertThrows(StudioException.class, () -> store.save(draft(4).withTimelineId("tl_missing")));
        assertEquals(StudioException.Problem.NOT_FOUND, unknown.problem());
        assertEquals(StudioException.Problem.MALFORMED, assertThrows(StudioException.class, () -> store.find("../x")).problem());
        Timeline saved = store.save(draft(4));
        StudioException invalid = assertThrows(StudioException.class, () -> store.save(draft(40).withTimelineId(saved.timelineId())));
        assertEquals(StudioException.Problem.INVALID, invalid.problem());
        assertEquals(comparable(saved), comparable(store().get(saved.timelineId())));
    }

    @Test
    void deleteRemovesTheTimelineAndFreesItsAssets() {
        TimelineStore store = store();
        Timeline gone = store.save(draft(4));
        Timeline kept = store.save(draft("a_silent", 2));
        assertFalse(store.runIfUnused("a_video", () -> { }));
        assertTrue(store.delete(gone.timelineId()));
        assertFalse(store.delete(gone.timelineId()), "already gone");
        assertFalse(store.delete("tl_never"));
        assertEquals(StudioException.Problem.MALFORMED,
                assertThrows(StudioException.class, () -> store.delete("../x")).problem());
        assertTrue(store.find(gone.timelineId()).isEmpty());
        assertFalse(store.usesAsset("a_video"));
        AtomicInteger runs = new AtomicInteger();
        assertTrue(store.runIfUnused("a_video", runs::incrementAndGet));
        assertFalse(store.runIfUnused("a_silent", runs::incrementAndGet), "still used by the other timeline");
        assertEquals(1, runs.get());
        assertThrows(StudioException.class, () -> store.updatePreview(gone.timelineId(), ProxyPreview.none()));
        TimelineStore reopened = store();
        assertTrue(reopened.find(gone.timelineId()).isEmpty());
        assertEquals(comparable(List.of(kept)), comparable(reopened.list(null)));
    }

    @Test
    void runsOnlyWhileAnAssetIsUnused() {
        TimelineStore store = store();
        store.save(draft(4));
        AtomicInteger runs = new AtomicInteger();
        assertFalse(store.runIfUnused("a_video", runs::incrementAndGet));
        assertTrue(store.runIfUnused("a_audio", runs::incrementAndGet));
        assertEquals(1, runs.get());
    }

    @Test
    void concurrentSavesGetDistinctRevisions() throws Exception {
        TimelineStore store = store();
        String id = store.save(draft(1)).timelineId();
        List<Future<Timeline>> saves = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 20; i++) {
                double out = 1 + (i % 9);
                saves.add(pool.submit(() -> store.save(draft(out).withTimelineId(id))));
            }
        }
        Set<Long> revisions = new HashSet<>();
        for (var f : saves) {
            revisions.add(f.get().revision());
        }
        assertEquals(20, revisions.size());
        assertEquals(21, store().get(id).revision());
    }

    @Test
    void readyPreviewGoesStaleWhenContentChangesAndPersists() {
        TimelineStore store = store();
        Timeline t = store.save(draft(4));
        String id = t.timelineId();
        assertEquals(0.5, store.updatePreview(id, ProxyPreview.processing(1, 0.5)).proxyPreview().progress());
        store.updatePreview(id, ProxyPreview.ready(1, "/p.webm"));
        Timeline renamed = store.save(Timeline.draft("new name", 1280, 720, 30, t.tracks()).withTimelineId(id));
        assertEquals(PreviewStatus.READY, renamed.proxyPreview().status(), "a new name changes no picture");
        assertEquals(PreviewStatus.STALE, store.save(draft(3).withTimelineId(id)).proxyPreview().status());
        assertEquals(PreviewStatus.STALE, store().get(id).proxyPreview().status(), "persisted");
        Timeline undone = store().save(draft(4).withTimelineId(id));
        assertEquals(PreviewStatus.READY, undone.proxyPreview().status(), "undoing shows the proxy again, after a restart too");
        assertEquals(4, store().get(id).revision(), "updatePreview does not bump the revision");
    }
}
