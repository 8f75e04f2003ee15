package dev.videostudio.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.ErrorInfo;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTimelineStoreTest {

    @TempDir
    Path dir;

    private TimelineStore store() {
        MediaRoot root = new MediaRoot(dir);
        root.prepare();
        root.removeLeftovers();
        return TimelineStore.onDisk(root, TestAssets.LOOKUP);
    }

    private static Timeline draft(double out) {
        return Timeline.draft("cut", 1280, 720, 30, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", "a_video", 0, 0, out, null, false)))));
    }

    @Test
    void savesUpdatesAndSurvivesRestart() throws Exception {
        TimelineStore store = store();
        Timeline created = store.save(draft(4));
        assertEquals(1, created.revision());
        assertEquals(PreviewStatus.NONE, created.proxyPreview().status());
        assertTrue(Files.exists(dir.resolve("timelines").resolve(created.timelineId() + ".json")));
        Timeline updated = store.save(draft(5).withTimelineId(created.timelineId()));
        assertEquals(2, updated.revision());
        assertEquals(created.createdAt(), updated.createdAt());
        assertTrue(store.usesAsset("a_video"));
        assertFalse(store.usesAsset("a_audio"));

        TimelineStore reopened = store();
        assertEquals(updated, reopened.get(created.timelineId()));
        assertEquals(List.of(updated), reopened.list(null));
        assertTrue(reopened.usesAsset("a_video"));
        try (var files = Files.list(dir.resolve("timelines"))) {
            assertEquals(1, files.count(), "no temporary file is left");
        }
    }

    @Test
    void damagedAndTemporaryFilesDoNotStopTheStore() throws Exception {
        TimelineStore store = store();
        Timeline saved = store.save(draft(4));
        Files.writeString(dir.resolve("timelines").resolve("tl_broken.json"), "{\"timeline_id\": \"tl_broken\", \"tracks\": [");
        Files.writeString(dir.resolve("timelines").resolve(".tmp-w_x-tl_half.json"), "{");
        TimelineStore reopened = store();
        assertEquals(List.of(saved), reopened.list(null));
        assertTrue(Files.exists(dir.resolve("timelines").resolve("tl_broken.json")), "kept for a person to look at");
        assertFalse(Files.exists(dir.resolve("timelines").resolve(".tmp-w_x-tl_half.json")), "a crash's leftover is removed");
    }

    @Test
    void unknownMalformedAndInvalidChangeNothing() throws Exception {
        TimelineStore store = store();
        StudioException unknown = assertThrows(StudioException.class, () -> store.save(draft(4).withTimelineId("tl_missing")));
        assertEquals(StudioException.Problem.NOT_FOUND, unknown.problem());
        assertEquals(StudioException.Problem.MALFORMED,
                assertThrows(StudioException.class, () -> store.find("../x")).problem());
        Timeline saved = store.save(draft(4));
        StudioException invalid = assertThrows(StudioException.class, () -> store.save(draft(40).withTimelineId(saved.timelineId())));
        assertEquals(StudioException.Problem.INVALID, invalid.problem());
        assertEquals(saved, store.get(saved.timelineId()));
        assertEquals(saved, store().get(saved.timelineId()));
    }

    @Test
    void readyPreviewGoesStaleOnlyWhenContentChanges() {
        TimelineStore store = store();
        Timeline t = store.save(draft(4));
        String id = t.timelineId();
        assertEquals(0.5, store.updatePreview(id, ProxyPreview.processing(1, 0.5)).proxyPreview().progress());
        store.updatePreview(id, ProxyPreview.ready(1, "v1"));

        Timeline renamed = store.save(Timeline.draft("new name", 1280, 720, 30, t.tracks()).withTimelineId(id));
        assertEquals(2, renamed.revision());
        assertEquals(PreviewStatus.READY, renamed.proxyPreview().status(), "a new name changes no picture");

        Timeline trimmed = store.save(draft(3).withTimelineId(id));
        assertEquals(PreviewStatus.STALE, trimmed.proxyPreview().status());
        assertEquals("v1", trimmed.proxyPreview().version());

        Timeline undone = store.save(draft(4).withTimelineId(id));
        assertEquals(PreviewStatus.READY, undone.proxyPreview().status(), "undoing the trim shows the proxy again");
        assertEquals("v1", undone.proxyPreview().version());
        trimmed = store.save(draft(3).withTimelineId(id));
        assertEquals(PreviewStatus.STALE, trimmed.proxyPreview().status());

        // a render of revision 2 finishing after the trim of revision 5 is stale at once
        assertEquals(PreviewStatus.STALE, store.updatePreview(id, ProxyPreview.ready(2, "/x.webm")).proxyPreview().status());
        assertEquals(PreviewStatus.READY, store.updatePreview(id, ProxyPreview.ready(5, "/y.webm")).proxyPreview().status());
        Timeline failed = store.updatePreview(id, ProxyPreview.failed(5, ErrorInfo.of("render_failed", "boom")));
        assertEquals(PreviewStatus.FAILED, failed.proxyPreview().status());
        assertEquals(PreviewStatus.FAILED, store.save(draft(2).withTimelineId(id)).proxyPreview().status());
        assertEquals(PreviewStatus.FAILED, store().get(id).proxyPreview().status(), "the preview is persisted");
        assertEquals(6, store().get(id).revision(), "updatePreview does not bump the revision");
        assertThrows(StudioException.class, () -> store.updatePreview("tl_missing", ProxyPreview.none()));
    }
}
