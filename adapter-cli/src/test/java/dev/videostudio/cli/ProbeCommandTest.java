package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProbeCommandTest {

    private static final Path MEDIA = Path.of(System.getProperty("videostudio.sharedMedia"));

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
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
