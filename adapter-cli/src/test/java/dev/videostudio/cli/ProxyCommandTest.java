package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetStore;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyCommandTest {

    @TempDir
    static Path media;
    @TempDir
    static Path work;
    static Asset friday;
    static Asset flower;

    @BeforeAll
    static void ingest() throws Exception {
        AssetStore assets = CliRun.assetStore(media);
        friday = CliRun.ingest(assets, "friday.mp4");
        flower = CliRun.ingest(assets, "flower.mp4");
    }



    private static Path timelineFile(String name, String assetA, String assetB) throws Exception {
        String json = ("{'name': 'cli', 'width': 1280, 'height': 720, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video',"
                + " 'clips': [{'id': 'a', 'asset_id': '" + assetA + "', 'start': 0, 'in': 0, 'out': 1.2},"
                + " {'id': 'b', 'asset_id': '" + assetB + "', 'start': 1.2, 'in': 1, 'out': 2.8}]}]}").replace('\'', '"');
        return Files.writeString(work.resolve(name), json, StandardCharsets.UTF_8);
    }

    @Test
    void rendersATimelineFileWithAProgressBarThenReusesItsSegments() throws Exception {
        Path timeline = timelineFile("t.json", friday.assetId(), flower.assetId());
        Path out = work.resolve("out.webm");
        StringWriter err = new StringWriter();
        int code = CliRun.run(err, "proxy", timeline.toString(), "-o", out.toString(), "--media-root", media.toString());
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("rendering [") && err.toString().contains("100%"), err.toString());
        assertTrue(err.toString().contains("edit proxy flower.mp4"), err.toString());
        // segments and sound chunks alike: 0-1 s (the live stream's short first one), 1-1.2 s, 1.2-3 s
        assertTrue(err.toString().contains("3 of 3 segments and 3 of 3 sound chunks rendered"), err.toString());
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=nw=1:nk=1", out.toString()).start();
        double duration = Double.parseDouble(new String(probe.getInputStream().readAllBytes()).trim());
        assertEquals(3.0, duration, 0.04);

        StringWriter again = new StringWriter();
        assertEquals(0, CliRun.run(again, "proxy", timeline.toString(), "-o", work.resolve("again.webm").toString(),
                "--media-root", media.toString()));
        assertTrue(again.toString().contains("0 of 3 segments and 0 of 3 sound chunks rendered"), again.toString());
    }

    @Test
    void anUnknownAssetIsAnInputError() throws Exception {
        Path timeline = timelineFile("bad.json", friday.assetId(), "a_unknown");
        StringWriter err = new StringWriter();
        Path out = work.resolve("bad.webm");
        assertEquals(OtioCommand.INVALID_INPUT, CliRun.run(err, "proxy", timeline.toString(), "-o", out.toString(),
                "--media-root", media.toString()));
        assertTrue(err.toString().contains("error:") && err.toString().contains("a_unknown"), err.toString());
        assertFalse(Files.exists(out));
    }
}
