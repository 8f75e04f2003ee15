package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.StudioJson;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineFiles;
import dev.videostudio.timeline.TimelineHash;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtioCommandTest {

    @TempDir
    static Path media;
    static AssetStore assets;
    static Asset video;
    static Asset audio;

    @BeforeAll
    static void ingest() throws Exception {
        assets = CliRun.assetStore(media);
        video = CliRun.ingest(assets, "flower.mp4");
        audio = CliRun.ingest(assets, "t-rex-roar.mp3");
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
        assertEquals(0, CliRun.run(err, "otio", "export", json.toString(), "-o", otio.toString(), "--media-root", media.toString()), err::toString);
        JsonNode doc = StudioJson.mapper().readTree(otio.toFile());
        assertEquals("Timeline.1", doc.get("OTIO_SCHEMA").asText());
        assertEquals(dev.videostudio.timeline.Otio.assetPath(video), doc.at("/tracks/children/0/children/1/media_references/DEFAULT_MEDIA/target_url").asText());

        Path back = dir.resolve("back.json");
        assertEquals(0, CliRun.run(err, "otio", "import", otio.toString(), "-o", back.toString(), "--media-root", media.toString()), err::toString);
        AssetLookup lookup = AssetLookup.of(assets);
        Timeline before = TimelineFiles.read(json, lookup);
        Timeline after = TimelineFiles.read(back, lookup);
        assertEquals(before.tracks(), after.tracks());
        assertEquals(TimelineHash.of(before), TimelineHash.of(after));
        assertEquals(TimelineHash.of(before), TimelineHash.of(TimelineFiles.read(otio, lookup)));

        // file:// references for editors on this machine: the file exists, and the media maps back by its name
        Path local = dir.resolve("local.otio");
        assertEquals(0, CliRun.run(err, "otio", "export", json.toString(), "-o", local.toString(), "--file-urls",
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
        assertEquals(OtioCommand.INVALID_INPUT, CliRun.run(err, "otio", "export", json.toString(), "-o", otio.toString(),
                "--media-root", media.toString()));
        assertTrue(err.toString().contains("tracks[0].clips[0].out"), err.toString());
        assertTrue(Files.notExists(otio));
    }
}
