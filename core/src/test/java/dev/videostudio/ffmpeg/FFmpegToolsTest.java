package dev.videostudio.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.kokorin.jaffree.ffmpeg.NullOutput;
import com.github.kokorin.jaffree.ffmpeg.UrlInput;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FFmpegToolsTest {

    /** A stand-in binary that writes its arguments, one a line, to {@code name.args} and fails. */
    private static Path recorder(Path dir, String name) throws IOException {
        Path bin = dir.resolve(name);
        Files.writeString(bin, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > \"" + dir.resolve(name + ".args") + "\"\nexit 1\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static void assertRestrictedBeforeInput(List<String> args, String file) {
        int input = args.indexOf("-i");
        assertTrue(input > 0, args.toString());
        assertEquals(file, args.get(input + 1));
        int protocols = args.indexOf("-protocol_whitelist");
        int formats = args.indexOf("-format_whitelist");
        assertTrue(protocols >= 0 && protocols < input, "protocol whitelist before -i: " + args);
        assertTrue(formats >= 0 && formats < input, "format whitelist before -i: " + args);
        assertEquals("file", args.get(protocols + 1));
        assertEquals(String.join(",", FFmpegTools.DEMUXERS), args.get(formats + 1));
    }

    @Test
    void probeAndInputCarryTheRestrictionsBeforeTheInput(@TempDir Path dir) throws IOException {
        FFmpegTools tools = FFmpegTools.locate(StudioConfig.builder()
                .ffmpegPath(recorder(dir, "ffmpeg")).ffprobePath(recorder(dir, "ffprobe")).build());
        Path media = Files.writeString(dir.resolve("media"), "x");

        assertThrows(StudioException.class, () -> tools.probe(media));
        assertRestrictedBeforeInput(Files.readAllLines(dir.resolve("ffprobe.args")), media.toAbsolutePath().toString());

        assertThrows(StudioException.class, () -> tools.run(tools.command()
                .addInput(tools.input(media, "mov,mp4,m4a,3gp,3g2,mj2"))
                .addOutput(new NullOutput()), 1, null, null));
        List<String> ffmpegArgs = Files.readAllLines(dir.resolve("ffmpeg.args"));
        assertRestrictedBeforeInput(ffmpegArgs, media.toAbsolutePath().toString());
        int pinned = ffmpegArgs.indexOf("-f");
        assertTrue(pinned >= 0 && pinned < ffmpegArgs.indexOf("-i"), "pinned demuxer before -i: " + ffmpegArgs);
        assertEquals("mov", ffmpegArgs.get(pinned + 1));
    }

    @Test
    void theWhitelistStopsAnyRunFromReadingAPlaylist(@TempDir Path dir) throws IOException {
        FFmpegTools tools = FFmpegTools.locate(StudioConfig.defaults());
        Path playlist = Files.writeString(dir.resolve("a.mp4"), "#EXTM3U\n#EXTINF:10,\n"
                + Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"), "flower.webm").toAbsolutePath()
                + "\n#EXT-X-ENDLIST\n");
        StudioException e = assertThrows(StudioException.class, () -> tools.run(tools.command()
                .addInput(tools.input(playlist, null)).addOutput(new NullOutput()), 1, null, null));
        assertEquals("ffmpeg_failed", e.code());
    }

    @Test
    void aRunReportsProgressUpToItsEnd() {
        FFmpegTools tools = FFmpegTools.locate(StudioConfig.defaults());
        List<Double> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        tools.run(tools.command().addInput(UrlInput.fromUrl("sine=d=3").setFormat("lavfi"))
                .addOutput(new NullOutput()), 3, progress::add, null);
        assertFalse(progress.isEmpty(), "no progress read");
        assertTrue(progress.stream().allMatch(p -> p >= 0 && p <= 1), progress.toString());
        assertTrue(progress.getLast() > 0.95, "last progress " + progress.getLast()); // the last packet starts before 3 s
    }

    @Test
    void aRunOverTheTimeLimitOrCancelledIsStopped() {
        FFmpegTools tools = FFmpegTools.locate(StudioConfig.builder()
                .ffmpegTimeout(Duration.ofSeconds(1)).build());
        // -re: read the 60 s source in real time, so the run would take a minute
        StudioException slow = assertThrows(StudioException.class, () -> tools.run(tools.command()
                .addInput(UrlInput.fromUrl("sine=d=60").setFormat("lavfi").addArgument("-re"))
                .addOutput(new NullOutput()), 60, null, null));
        assertEquals("ffmpeg_timeout", slow.code());
        long began = System.nanoTime();
        StudioException cancelled = assertThrows(StudioException.class, () -> tools.run(tools.command()
                .addInput(UrlInput.fromUrl("sine=d=60").setFormat("lavfi").addArgument("-re"))
                .addOutput(new NullOutput()), 60, null, () -> System.nanoTime() - began > 300_000_000L));
        assertEquals("cancelled", cancelled.code());
    }

    @Test
    void demuxerWhitelistMatchesOneOfFfmpegsNames() {
        assertTrue(FFmpegTools.isAllowedDemuxer("mov,mp4,m4a,3gp,3g2,mj2"));
        assertTrue(FFmpegTools.isAllowedDemuxer("matroska,webm"));
        assertTrue(FFmpegTools.isAllowedDemuxer("png_pipe"));
        assertFalse(FFmpegTools.isAllowedDemuxer("hls"));
        assertFalse(FFmpegTools.isAllowedDemuxer("concat"));
        assertFalse(FFmpegTools.isAllowedDemuxer("sdp"));
        assertFalse(FFmpegTools.isAllowedDemuxer("image2"));
        assertFalse(FFmpegTools.isAllowedDemuxer(""));
        assertFalse(FFmpegTools.isAllowedDemuxer(null));
    }

    @Test
    void missingBinariesNameWhatToInstall(@TempDir Path dir) {
        StudioException e = assertThrows(StudioException.class, () -> FFmpegTools.locate(StudioConfig.builder()
                .ffmpegPath(dir.resolve("nope")).ffprobePath(dir.resolve("nope2")).build()));
        assertEquals("ffmpeg_missing", e.code());
        assertTrue(e.getMessage().contains("apt-get install ffmpeg"), e.getMessage());
    }
}
