package dev.videostudio.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.job.JobStatus;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.Clip;
import dev.videostudio.timeline.PreviewStatus;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.Track;
import dev.videostudio.timeline.TrackKind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two studios (nodes) on one database and one media folder: a node's proxy cache must never
 * answer {@code ready} for a proxy another node has replaced since.
 */
class ProxyCacheAcrossNodesTest {

    @TempDir
    Path media;

    @Test
    void aCachedProxyReplacedOnAnotherNodeIsNotReady() throws Exception {
        try (PostgresDatabase db = TestDatabase.connect()) {
            StudioConfig config = StudioConfig.builder().mediaRoot(media).proxyHeight(144).cacheEntries(100).build();
            VideoStudio a = db.configure(VideoStudio.builder().config(config), true).build();
            VideoStudio b = db.configure(VideoStudio.builder().config(config), true).build();
            Asset clip;
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("videostudio.sharedMedia"), "flower.mp4"))) {
                clip = a.assets().ingest(VideoStudio.DEFAULT_TENANT, "flower.mp4", in);
            }
            Timeline first = a.timelines().save(timeline(clip.assetId(), 2.0, null));
            String id = first.timelineId();

            String v1 = render(a, id);
            ProxyState cached = a.proxies().request(id, false);
            assertEquals(PreviewStatus.READY, cached.status());
            assertEquals(Boolean.TRUE, cached.cached());

            // node b: another edit, rendered over the same file
            b.timelines().save(timeline(clip.assetId(), 3.0, id));
            String v2 = render(b, id);
            assertNotEquals(v1, v2);

            // the edit undone on b: node a's cache still holds the first render, whose file is gone
            b.timelines().save(timeline(clip.assetId(), 2.0, id));
            ProxyState state = a.proxies().state(id);
            assertNotEquals(PreviewStatus.READY, state.status(), "node a answered ready from a replaced proxy: " + state);
            String v3 = render(a, id);
            assertEquals(v1, v3, "the same content renders to the same version");
        }
    }

    /** Requests the proxy on {@code node}, waits for its job and returns the ready version. */
    private static String render(VideoStudio node, String timelineId) throws Exception {
        ProxyState s = node.proxies().request(timelineId, false);
        if (s.status() == PreviewStatus.PROCESSING) {
            assertEquals(JobStatus.READY, node.jobs().await(s.jobId(), Duration.ofSeconds(120)).orElseThrow().status());
            s = node.proxies().state(timelineId);
        }
        assertEquals(PreviewStatus.READY, s.status(), s.toString());
        return s.version();
    }

    private static Timeline timeline(String assetId, double out, String id) {
        Timeline t = Timeline.draft("n", 320, 180, 25, List.of(new Track("v", TrackKind.VIDEO,
                List.of(new Clip("c", assetId, 0, 0, out, null, false)))));
        return id == null ? t : t.withTimelineId(id);
    }
}
