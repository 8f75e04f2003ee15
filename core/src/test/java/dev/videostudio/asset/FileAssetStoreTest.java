package dev.videostudio.asset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import dev.videostudio.ffmpeg.FFmpegTools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAssetStoreTest {

    private static final String T = dev.videostudio.VideoStudio.DEFAULT_TENANT;

    @TempDir
    Path dir;
    MediaRoot root;
    StudioConfig config;
    FFmpegTools ffmpeg;

    @BeforeEach
    void prepare() {
        root = new MediaRoot(dir);
        root.prepare();
        config = StudioConfig.defaults().withMediaRoot(dir);
        ffmpeg = FFmpegTools.locate(config);
    }

    static Path shared(String name) {
        return Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"), name);
    }

    private List<String> filesLeft() throws IOException {
        try (Stream<Path> s = Stream.concat(Files.list(root.assets()), Files.list(root.temp()))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void storesUnderItsIdWithAnExtensionFromTheContent() throws IOException {
        AssetStore store = new FileAssetStore(root, ffmpeg, config);
        Asset a;
        try (InputStream in = Files.newInputStream(shared("flower.webm"))) {
            a = store.ingest(T, "../../evil name.mp4", in);
        }
        assertTrue(MediaRoot.isValidId(a.assetId()));
        assertEquals("evil name.mp4", a.filename(), "display name without folders");
        assertEquals(a.assetId() + ".webm", a.storedName(), "extension from the probe, not the client");
        assertEquals(null, a.url(), "the core hands out no URL: the adapter serving the file makes it");
        assertEquals(Files.size(shared("flower.webm")), a.sizeBytes());
        assertEquals(Files.mismatch(shared("flower.webm"), store.file(a)), -1L, "stored bytes are the upload");
        assertEquals("matroska,webm", a.demuxer());
        assertEquals(WaveformStatus.IDLE, a.waveformStatus());
        assertEquals(List.of(a.assetId() + ".json", a.storedName()), filesLeft());
    }

    @Test
    void stopsReadingAsSoonAsTheLimitIsPassed() throws IOException {
        AssetStore store = new FileAssetStore(root, ffmpeg, config.toBuilder().uploadLimitBytes(100_000).build());
        CountingEndless body = new CountingEndless();
        StudioException e = assertThrows(StudioException.class, () -> store.ingest(T, "big.mp4", body));
        assertEquals(StudioException.Problem.TOO_LARGE, e.problem());
        assertEquals("too_large", e.code());
        assertTrue(body.read < 100_000 + 128 * 1024, "read " + body.read + " bytes of an endless upload");
        assertEquals(List.of(), filesLeft());
    }

    @Test
    void rejectedUploadsLeaveNothing() throws IOException {
        AssetStore store = new FileAssetStore(root, ffmpeg, config);
        byte[] whole = Files.readAllBytes(shared("flower.mp4"));
        for (byte[] body : new byte[][] {new byte[0], "plain text".getBytes(), java.util.Arrays.copyOf(whole, whole.length / 3)}) {
            StudioException e = assertThrows(StudioException.class, () -> store.ingest(T, "x.mp4", new ByteArrayInputStream(body)));
            assertEquals(415, e.problem().httpStatus());
        }
        assertEquals(List.of(), filesLeft());
        assertEquals(List.of(), store.list(null));
    }

    @Test
    void enforcesDurationAndFrameLimits() throws IOException {
        AssetStore shortOnly = new FileAssetStore(root, ffmpeg, config.toBuilder().maxDurationSeconds(3).maxFramePixels(10_000_000).build());
        StudioException longer = assertThrows(StudioException.class, () -> ingest(shortOnly, "flower.mp4"));
        assertEquals("too_long", longer.code());
        AssetStore small = new FileAssetStore(root, ffmpeg, config.toBuilder().maxDurationSeconds(3600).maxFramePixels(320 * 180).build());
        StudioException wide = assertThrows(StudioException.class, () -> ingest(small, "flower.mp4"));
        assertEquals("frame_too_large", wide.code());
        assertEquals("trim-buck-bunny.webm", ingest(small, "trim-buck-bunny.webm").filename(), "320x180 fits exactly");
        assertEquals(2, filesLeft().size());
    }

    @Test
    void reloadsMetadataAndRemovesOrphansAtStart() throws IOException {
        AssetStore first = new FileAssetStore(root, ffmpeg, config);
        Asset a = ingest(first, "t-rex-roar.mp3");
        Asset b = ingest(first, "flower-noaudio.mp4");
        Files.writeString(root.assets().resolve("a_orphan.mp4"), "left by a crash before the metadata was written");

        FileAssetStore second = new FileAssetStore(root, ffmpeg, config);
        assertEquals(1, second.removeOrphans());
        assertEquals(List.of(a, b), second.list(null));
        assertEquals(b, second.find(b.assetId()).orElseThrow());
        assertEquals(WaveformStatus.UNAVAILABLE, b.waveformStatus(), "no audio stream");
        assertFalse(Files.exists(root.assets().resolve("a_orphan.mp4")));
    }

    @Test
    void deletesFileAndMetadata() throws IOException {
        AssetStore store = new FileAssetStore(root, ffmpeg, config);
        Asset a = ingest(store, "t-rex-roar.mp3");
        assertTrue(store.delete(a.assetId()));
        assertFalse(store.delete(a.assetId()));
        assertTrue(store.find(a.assetId()).isEmpty());
        assertEquals(List.of(), filesLeft());
        assertFalse(store.delete("../x"), "malformed ids never reach the disk");
        assertTrue(store.find("../x").isEmpty());
    }

    @Test
    void listenersHearOfEachIngestAndCannotBreakIt() throws IOException {
        AssetStore store = new FileAssetStore(root, ffmpeg, config);
        List<String> heard = new ArrayList<>();
        store.onIngest(a -> heard.add(a.assetId()));
        store.onIngest(a -> {
            throw new IllegalStateException("a broken listener");
        });
        Asset a = ingest(store, "t-rex-roar.mp3");
        assertEquals(List.of(a.assetId()), heard);
        assertThrows(StudioException.class, () -> store.ingest(T, "x", new ByteArrayInputStream(new byte[0])));
        assertEquals(1, heard.size(), "rejected uploads are not announced");
    }

    @Test
    void displayNamesAreCleaned() {
        assertEquals("passwd", FileAssetStore.displayName("../../etc/passwd"));
        assertEquals("clip.mp4", FileAssetStore.displayName("C:\\Users\\me\\clip.mp4"));
        assertEquals("ab.mp4", FileAssetStore.displayName("a\u0000b\n.mp4"));
        assertEquals("upload", FileAssetStore.displayName(null));
        assertEquals("upload", FileAssetStore.displayName("dir/.."));
        assertEquals(255, FileAssetStore.displayName("x".repeat(1000) + ".mp4").length());
    }

    private static Asset ingest(AssetStore store, String name) throws IOException {
        try (InputStream in = Files.newInputStream(shared(name))) {
            return store.ingest(T, name, in);
        }
    }

    /** An upload that never ends, counting what was read from it. */
    static final class CountingEndless extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            read += len;
            return len;
        }
    }
}
