package dev.videostudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioJson;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WaveformCommandTest {

    private static final Path MEDIA = Path.of(System.getProperty("videostudio.sharedMedia"));

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StudioCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void writesSplitJsonAndABandColouredPngWithAProgressBar(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("w.json");
        Path png = dir.resolve("w.png");
        Run r = run("waveform", MEDIA.resolve("outfoxing.mp3").toString(), "-o", json.toString(), "--split",
                "--png", png.toString(), "--width", "600", "--height", "200", "--colors", "bands,#000000");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("100%"), "no progress bar on a 97 s file: " + r.err());
        JsonNode w = StudioJson.mapper().readTree(json.toFile());
        assertEquals(2, w.get("version").asInt());
        assertEquals(2, w.get("channels").asInt());
        assertEquals(256, w.get("samples_per_pixel").asInt());
        assertEquals(w.get("length").asInt() * 4, w.get("data").size());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(600, image.getWidth());
        assertEquals(200, image.getHeight());
        // music fills both lanes: the centre rows of each lane are drawn, the top corner is background
        assertNotEquals(0, image.getRGB(300, 50) & 0xffffff);
        assertNotEquals(0, image.getRGB(300, 150) & 0xffffff);
        assertEquals(0, image.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void writesDatAtACoarserLevelAndJsonToStandardOutput(@TempDir Path dir) throws Exception {
        Path dat = dir.resolve("w.dat");
        Run r = run("waveform", MEDIA.resolve("t-rex-roar.mp3").toString(), "-o", dat.toString(),
                "--samples-per-pixel", "512", "--bits", "8");
        assertEquals(0, r.exit(), r.err());
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(dat)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, h.getInt());
        assertEquals(1, h.getInt(), "8-bit flag");
        assertEquals(44100, h.getInt());
        assertEquals(512, h.getInt());
        int length = h.getInt();
        assertEquals(1, h.getInt());
        assertEquals(24 + length * 2, Files.size(dat));
        assertTrue(r.err().isEmpty(), "no progress bar on a 2 s file: " + r.err());

        Run stdout = run("waveform", MEDIA.resolve("t-rex-roar.mp3").toString());
        assertEquals(0, stdout.exit());
        assertEquals(1, StudioJson.mapper().readTree(stdout.out()).get("channels").asInt());
    }

    @Test
    void fileWithoutAudioIsAClearError(@TempDir Path dir) {
        Run r = run("waveform", MEDIA.resolve("flower-noaudio.mp4").toString(), "-o", dir.resolve("x.json").toString());
        assertEquals(WaveformCommand.INVALID_INPUT, r.exit());
        assertTrue(r.err().contains("no audio"), r.err());
        assertTrue(!Files.exists(dir.resolve("x.json")));
    }

    /** A real process: the libraries' INFO lines (Jaffree's "Process has finished") only with --verbose. */
    @Test
    void logsNothingFromJaffreeUnlessVerbose(@TempDir Path dir) throws Exception {
        for (boolean verbose : new boolean[] {false, true}) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StudioCli.class.getName(),
                    "waveform", MEDIA.resolve("outfoxing.mp3").toString(), "-o", dir.resolve("w.json").toString(),
                    "--no-progress"));
            if (verbose) {
                cmd.add("--verbose");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), output);
            assertEquals(verbose, output.contains("Process has finished"), output);
            if (!verbose) {
                assertFalse(output.contains("INFO"), output);
            }
        }
    }
}
