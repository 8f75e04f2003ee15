package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioJson;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.ffmpeg.FFmpegTools;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineFiles;
import dev.videostudio.timeline.TimelineHash;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OtioCommandTest {

    @TempDir
    static Path media;
    static AssetStore assets;
    static Asset video;
    static Asset audio;

    @BeforeAll
    static void ingest() throws Exception {
        MediaRoot root = new MediaRoot(media);
        root.prepare();
        StudioConfig config = StudioConfig.defaults().withMediaRoot(media);
        assets = AssetStore.onDisk(root, FFmpegTools.locate(config), config);
        video = ingest("flower.mp4");
        audio = ingest("t-rex-roar.mp3");
    }

    private static Asset ingest(String name) throws Exception {
        Path file = Path.of(System.getProperty("videostudio.sharedMedia")).resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            return assets.ingest(name, in);
        }
    }

    /** Runs the CLI; returns the exit code, with what it wrote to standard error in {@code err}. */
    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void exportsAndImportsBackTheSameEdit(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("timeline.json");
        Files.writeString(json, ("{'name': 'cli', 'fps': 25, 'tracks': ["
                + "{'id': 'v', 'kind': 'video', 'clips': [{'id': 'a', 'asset_id': '" + video.assetId() + "', 'start': 1, 'in': 0.5, 'out': 4, 'volume': 0.5}]},"
                + "{'id': 'm', 'kind': 'audio', 'clips': [{'id': 'b', 'asset_id': '" + audio.assetId() + "', 'start': 0, 'in': 0, 'out': 2}]}]}")
                .replace('\'', '"'));
        Path otio = dir.resolve("cut.otio");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "otio", "export", json.toString(), "-o", otio.toString(), "--media-root", media.toString()), err::toString);
        JsonNode doc = StudioJson.mapper().readTree(otio.toFile());
        assertEquals("Timeline.1", doc.get("OTIO_SCHEMA").asText());
        assertEquals(video.url(), doc.at("/tracks/children/0/children/1/media_references/DEFAULT_MEDIA/target_url").asText());

        Path back = dir.resolve("back.json");
        assertEquals(0, run(err, "otio", "import", otio.toString(), "-o", back.toString(), "--media-root", media.toString()), err::toString);
        AssetLookup lookup = AssetLookup.of(assets);
        Timeline before = TimelineFiles.read(json, lookup);
        Timeline after = TimelineFiles.read(back, lookup);
        assertEquals(before.tracks(), after.tracks());
        assertEquals(TimelineHash.of(before), TimelineHash.of(after));
        assertEquals(TimelineHash.of(before), TimelineHash.of(TimelineFiles.read(otio, lookup)));

        // file:// references for editors on this machine: the file exists, and the media maps back by its name
        Path local = dir.resolve("local.otio");
        assertEquals(0, run(err, "otio", "export", json.toString(), "-o", local.toString(), "--file-urls",
                "--media-root", media.toString()), err::toString);
        JsonNode localDoc = StudioJson.mapper().readTree(local.toFile());
        ObjectNode ref = (ObjectNode) localDoc.at("/tracks/children/0/children/1/media_references/DEFAULT_MEDIA");
        Path target = Path.of(java.net.URI.create(ref.get("target_url").asText()));
        assertEquals(Files.size(assets.file(video)), Files.size(target));
        ((ObjectNode) ref.get("metadata")).removeAll();
        ((ObjectNode) localDoc.at("/tracks/children/0/children/1/metadata")).removeAll();
        Files.writeString(local, localDoc.toString());
        Timeline byName = TimelineFiles.read(local, lookup);
        assertEquals(video.assetId(), byName.tracks().get(0).clips().get(0).assetId());
    }

    @Test
    void invalidInputNamesTheProblemAndWritesNothing(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, ("{'tracks': [{'kind': 'video', 'clips': [{'asset_id': '" + video.assetId()
                + "', 'start': 0, 'in': 0, 'out': 99}]}]}").replace('\'', '"'));
        Path otio = dir.resolve("bad.otio");
        StringWriter err = new StringWriter();
        assertEquals(OtioCommand.INVALID_INPUT, run(err, "otio", "export", json.toString(), "-o", otio.toString(),
                "--media-root", media.toString()));
        assertTrue(err.toString().contains("tracks[0].clips[0].out"), err.toString());
        assertTrue(Files.notExists(otio));
    }
}
