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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link AssetStore} must do, written once: a backend's test extends this class and
 * implements {@link #createStore}. Real ffmpeg, real media from the shared media folder
 * (system property {@code videostudio.sharedMedia}, {@code ../../shared/media} by default).
 */
public abstract class AssetStoreContract {

    @TempDir
    protected Path dir;
    protected MediaRoot root;
    protected StudioConfig config;
    protected FFmpegTools ffmpeg;

    /**
     * A store over {@code root}. Called more than once per test: a second store must see what the
     * first stored (records persist), and each test starts with no assets at all.
     */
    protected abstract AssetStore createStore(MediaRoot root, FFmpegTools ffmpeg, StudioConfig config);

    @BeforeEach
    void prepareRoot() {
        root = new MediaRoot(dir);
        root.prepare();
        config = StudioConfig.defaults().withMediaRoot(dir);
        ffmpeg = FFmpegTools.locate(config);
    }

    protected static Path sharedMedia(String name) {
        return Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"), name);
    }

    protected static Asset ingest(AssetStore store, String tenant, String name) throws IOException {
        try (InputStream in = Files.newInputStream(sharedMedia(name))) {
            return store.ingest(tenant, name, in);
        }
    }

    /** The record as a backend keeping microseconds returns it. */
    protected static Asset comparable(Asset a) {
        return new Asset(a.assetId(), a.filename(), a.kind(), a.contentType(), a.sizeBytes(), a.durationS(), a.hasAudio(),
                a.hasVideo(), a.width(), a.height(), a.fps(), a.sampleRate(), a.channels(), a.url(), a.waveformStatus(),
                a.createdAt().truncatedTo(ChronoUnit.MILLIS), a.storedName(), a.demuxer(), a.tenant());
    }

    private static List<Asset> comparable(List<Asset> assets) {
        return assets.stream().map(AssetStoreContract::comparable).toList();
    }

    @Test
    void ingestStoresTheFileAndARecordThatPersists() throws IOException {
        AssetStore store = createStore(root, ffmpeg, config);
        Asset a = ingest(store, "t1", "t-rex-roar.mp3");
        assertEquals("t1", a.tenant());
        assertEquals(AssetKind.AUDIO, a.kind());
        assertTrue(MediaRoot.isValidId(a.assetId()));
        assertEquals(-1L, Files.mismatch(sharedMedia("t-rex-roar.mp3"), store.file(a)), "the stored bytes are the upload");
        assertEquals(comparable(a), comparable(store.find(a.assetId()).orElseThrow()));

        AssetStore reopened = createStore(root, ffmpeg, config);
        assertEquals(comparable(a), comparable(reopened.find(a.assetId()).orElseThrow()));
        assertEquals(comparable(List.of(a)), comparable(reopened.list("t1")));
    }

    @Test
    void listsOneTenantOrAllOldestFirst() throws IOException {
        AssetStore store = createStore(root, ffmpeg, config);
        Asset a = ingest(store, "t1", "t-rex-roar.mp3");
        Asset b = ingest(store, "t2", "t-rex-roar.mp3");
        Asset c = ingest(store, "t1", "flower-noaudio.mp4");
        assertEquals(comparable(List.of(a, c)), comparable(store.list("t1")));
        assertEquals(comparable(List.of(b)), comparable(store.list("t2")));
        assertEquals(comparable(List.of(a, b, c)), comparable(store.list(null)));
        assertEquals(List.of(), store.list("nobody"));
        assertEquals("t2", store.find(b.assetId()).orElseThrow().tenant(), "find is not scoped: the record says whose it is");
    }

    @Test
    void malformedTenantsAndRejectedUploadsLeaveNothing() throws IOException {
        AssetStore store = createStore(root, ffmpeg, config);
        StudioException badTenant = assertThrows(StudioException.class, () -> ingest(store, "../t", "t-rex-roar.mp3"));
        assertEquals("invalid_id", badTenant.code());
        StudioException notMedia = assertThrows(StudioException.class,
                () -> store.ingest("t1", "x.mp4", new ByteArrayInputStream("plain text".getBytes())));
        assertEquals(415, notMedia.problem().httpStatus());
        assertEquals(List.of(), store.list(null));
        try (var files = Files.list(root.assets())) {
            assertEquals(List.of(), files.filter(f -> !f.getFileName().toString().endsWith(".json")).toList(),
                    "no media file is left");
        }
    }

    @Test
    void deleteRemovesTheFileAndTheRecord() throws IOException {
        AssetStore store = createStore(root, ffmpeg, config);
        Asset a = ingest(store, "t1", "t-rex-roar.mp3");
        Asset kept = ingest(store, "t1", "t-rex-roar.mp3");
        Path file = store.file(a);
        assertTrue(store.delete(a.assetId()));
        assertFalse(store.delete(a.assetId()), "already gone");
        assertTrue(store.find(a.assetId()).isEmpty());
        assertFalse(Files.exists(file));
        assertFalse(store.delete("../x"), "a malformed id never reaches the backend");
        assertTrue(store.find("../x").isEmpty());
        assertEquals(comparable(List.of(kept)), comparable(createStore(root, ffmpeg, config).list(null)));
    }

    @Test
    void listenersHearOfEachAcceptedIngest() throws IOException {
        AssetStore store = createStore(root, ffmpeg, config);
        List<String> heard = new ArrayList<>();
        store.onIngest(a -> heard.add(a.tenant() + "/" + a.assetId()));
        Asset a = ingest(store, "t1", "t-rex-roar.mp3");
        assertThrows(StudioException.class, () -> store.ingest("t1", "x", new ByteArrayInputStream(new byte[0])));
        assertEquals(List.of("t1/" + a.assetId()), heard);
    }
}
