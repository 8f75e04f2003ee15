package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeCommandTest {

    private static final Path MEDIA = Path.of(System.getProperty("videostudio.sharedMedia"));

    /** Runs the CLI in process, capturing its output (the helper of the waveform command's test). */
    private static String[] run(String... args) {
        WaveformCommandTest.Run r = WaveformCommandTest.run(args);
        return new String[] {String.valueOf(r.exit()), r.out(), r.err()};
    }

    @Test
    void printsTheFactsAsJson() throws Exception {
        String[] r = run("probe", MEDIA.resolve("rotate-buck-bunny.mp4").toString());
        assertEquals("0", r[0], r[2]);
        JsonNode info = StudioJson.mapper().readTree(r[1]);
        assertEquals("video", info.get("kind").asText());
        assertEquals(1080, info.get("width").asInt());
        assertEquals(1920, info.get("height").asInt());
        assertEquals(6, info.get("channels").asInt());
        assertEquals("mp4", info.get("extension").asText());
    }

    @Test
    void refusesWhatIsNotMedia(@TempDir Path dir) throws Exception {
        Path playlist = Files.writeString(dir.resolve("x.mp4"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n/etc/hosts\n");
        String[] r = run("probe", playlist.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("not accepted"), r[2]);
        assertEquals("2", run("probe", dir.resolve("missing.mp4").toString())[0]);
    }
}
