package dev.videostudio.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Media facts of every real file of {@code ../shared/media}, read by the restricted ffprobe. */
class ProberTest {

    static FFmpegTools tools;

    @BeforeAll
    static void locate() {
        tools = FFmpegTools.locate(StudioConfig.defaults());
    }

    static Path shared(String name) {
        return Path.of(System.getProperty("videostudio.sharedMedia", "../../shared/media"), name);
    }

    /** Expected values come from plain ffprobe runs on the files (see the README of the tests). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", textBlock = """
            # file,                                kind,  audio, video, width, height, fps,    rate,  ch, duration, ext,  type
            JustLikeTheWorld.flac,                 audio, true,  false, -,     -,      -,      44100, 1,  9.444,    flac, audio/flac
            JustLikeTheWorld.wav,                  audio, true,  false, -,     -,      -,      44100, 1,  9.444,    wav,  audio/wav
            LluviasDeMayo.flac,                    audio, true,  false, -,     -,      -,      44100, 2,  15.553,   flac, audio/flac
            flower-noaudio.mp4,                    video, false, true,  960,   540,    29.97,  -,     -,  5.005,    mp4,  video/mp4
            flower-portrait-304x540.mp4,           video, true,  true,  304,   540,    29.97,  48000, 2,  5.055,    mp4,  video/mp4
            flower-vfr.mp4,                        video, true,  true,  960,   540,    21.978, 48000, 2,  5.055,    mp4,  video/mp4
            flower.mp4,                            video, true,  true,  960,   540,    29.97,  48000, 2,  5.055,    mp4,  video/mp4
            flower.webm,                           video, true,  true,  960,   540,    29.97,  44100, 2,  5.059,    webm, video/webm
            friday.mp4,                            video, true,  true,  640,   480,    30.0,   44100, 2,  6.166,    mp4,  video/mp4
            music-kevin-macleod-cc0.mp3,           audio, true,  false, -,     -,      -,      44100, 2,  30.041,   mp3,  audio/mpeg
            outfoxing.mp3,                         audio, true,  false, -,     -,      -,      44100, 2,  97.437,   mp3,  audio/mpeg
            physicsworks_audio.webm,               audio, true,  false, -,     -,      -,      48000, 6,  203.301,  webm, audio/webm
            rotate-buck-bunny.mp4,                 video, true,  true,  1080,  1920,   24.0,   48000, 6,  2.005,    mp4,  video/mp4
            stream-of-water-audioless.webm,        video, true,  true,  640,   360,    29.97,  44100, 2,  3.963,    webm, video/webm
            t-rex-roar.mp3,                        audio, true,  false, -,     -,      -,      44100, 2,  2.116,    mp3,  audio/mpeg
            tears-of-steel-battle-clip-medium.webm, video, true, true,  800,   332,    24.0,   44100, 2,  70.542,   webm, video/webm
            trim-buck-bunny.webm,                  video, true,  true,  320,   180,    24.0,   48000, 2,  5.02,     webm, video/webm
            """)
    void factsOfSharedMedia(String file, String kind, boolean audio, boolean video, Integer width, Integer height,
                            Double fps, Integer rate, Integer channels, double duration, String ext, String type) {
        MediaInfo m = tools.probe(shared(file));
        assertEquals(kind, m.kind(), "kind");
        assertEquals(audio, m.hasAudio(), "has_audio");
        assertEquals(video, m.hasVideo(), "has_video");
        assertEquals(width, m.width(), "width");
        assertEquals(height, m.height(), "height");
        if (fps == null) {
            assertNull(m.fps(), "fps");
        } else {
            assertEquals(fps, m.fps(), 0.001, "fps");
        }
        assertEquals(rate, m.sampleRate(), "sample_rate");
        assertEquals(channels, m.channels(), "channels");
        assertEquals(duration, m.durationS(), 0.001, "duration");
        assertEquals(ext, m.extension(), "extension");
        assertEquals(type, m.contentType(), "content type");
        assertTrue(FFmpegTools.isAllowedDemuxer(m.demuxer()), m.demuxer());
    }

    @Test
    void rotationIsReportedAndApplied() {
        MediaInfo m = tools.probe(shared("rotate-buck-bunny.mp4"));
        assertEquals(90, Math.abs(m.rotation()));
        assertTrue(m.height() > m.width(), "a turned landscape frame is portrait");
    }

    @Test
    void coverArtIsNotVideo() {
        MediaInfo m = tools.probe(shared("music-kevin-macleod-cc0.mp3"));
        assertEquals("audio", m.kind());
        assertNull(m.videoCodec());
        assertNull(m.width());
    }

    @Test
    void stillImagesHaveNoDuration(@TempDir Path dir) throws Exception {
        for (String ext : new String[] {"png", "jpg", "bmp", "tiff", "webp"}) {
            Path out = dir.resolve("still." + ext);
            ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1", out.toString());
            // the stored copy has no extension, like an upload's temporary file
            Path upload = Files.move(out, dir.resolve("upload-" + ext));
            MediaInfo m = tools.probe(upload);
            assertEquals("image", m.kind(), ext);
            assertEquals(ext, m.extension());
            assertNull(m.durationS(), ext);
            assertEquals(64, m.width());
            assertEquals(48, m.height());
            assertEquals(false, m.hasVideo(), "an image is not a video");
        }
    }

    @Test
    void rejectsEmptyTextAndIndirections(@TempDir Path dir) throws IOException {
        assertUnsupported(Files.write(dir.resolve("empty"), new byte[0]), "empty");
        assertUnsupported(Files.writeString(dir.resolve("text"), "just some words\nand more words\n"), "media");
        assertUnsupported(Files.writeString(dir.resolve("hls"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n" + shared("flower.webm").toAbsolutePath() + "\n#EXT-X-ENDLIST\n"),
                "not accepted");
        assertUnsupported(Files.writeString(dir.resolve("concat"),
                "ffconcat version 1.0\nfile " + shared("flower.mp4").toAbsolutePath() + "\n"), "not accepted");
        assertUnsupported(Files.writeString(dir.resolve("sdp"), "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\n"
                + "t=0 0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 opus/48000/2\n"), "not accepted");
    }

    @Test
    void rejectsTruncatedMp4(@TempDir Path dir) throws Exception {
        // index first (fast start): ffprobe alone would accept it
        byte[] whole = Files.readAllBytes(shared("flower.mp4"));
        assertUnsupported(Files.write(dir.resolve("cut-faststart"), Arrays.copyOf(whole, whole.length / 2)), "truncated");
        // index last: ffprobe finds no index
        Path indexLast = dir.resolve("index-last.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x48:duration=2", "-c:v", "mpeg4", indexLast.toString());
        byte[] b = Files.readAllBytes(indexLast);
        assertUnsupported(Files.write(dir.resolve("cut-index-last"), Arrays.copyOf(b, b.length - 200)), "");
    }

    private static void assertUnsupported(Path file, String messagePart) {
        StudioException e = assertThrows(StudioException.class, () -> tools.probe(file), file.toString());
        assertEquals(StudioException.Problem.UNSUPPORTED_MEDIA, e.problem());
        assertEquals("unsupported_media", e.code());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    static void ffmpeg(String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = tools.ffmpegBinary().toString();
        cmd[1] = "-nostdin";
        cmd[2] = "-v";
        cmd[3] = "error";
        System.arraycopy(args, 0, cmd, 4, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
