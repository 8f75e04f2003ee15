package dev.videostudio.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live stream's segments built without FFmpeg: a picture fMP4 plus an Opus track written here, read by real ffprobe. */
class Fmp4Test {

    @TempDir
    Path dir;

    @Test
    void anOpusTrackAddedToAPictureFileIsReadAsOneProgrammeAtItsPlace() throws IOException {
        Path picture = dir.resolve("v.mp4");
        MediaCheck.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=160x90:r=30:d=1",
                "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", "15", "-f", "mp4",
                "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-video_track_timescale", "90000",
                picture.toString()));
        Path ogg = dir.resolve("a.ogg");
        MediaCheck.run(List.of("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=48000",
                "-c:a", "libopus", "-ac", "2", ogg.toString()));
        OggOpus.Stream sound = OggOpus.read(ogg);

        Fmp4.Split split = Fmp4.split(Files.readAllBytes(picture), Map.of(1, 5.0));
        byte[] init = Fmp4.withOpusTrack(split.init(), sound.head());
        byte[] audio = Fmp4.opusFragment(7, 5 * 48_000L, sound.packets());
        Path joined = dir.resolve("joined.mp4");
        Files.write(joined, concat(init, split.media(), audio));

        assertEquals("vp9\nopus", MediaCheck.probe(joined, null, "stream=codec_name"));
        assertEquals("2", MediaCheck.probe(joined, "a:0", "stream=channels"));
        assertEquals("48000", MediaCheck.probe(joined, "a:0", "stream=sample_rate"));
        String audioTimes = MediaCheck.probe(joined, "a:0", "packet=pts_time");
        List<String> times = audioTimes.lines().toList();
        assertEquals(sound.packets().size(), times.size(), "one MP4 sample per Opus packet");
        assertEquals(5.0, Double.parseDouble(times.getFirst()), 1e-9, "the sound plays where the segment sits");
        assertEquals(5.02, Double.parseDouble(times.get(1)), 1e-9, "20 ms a packet");
        assertEquals(5.0, Double.parseDouble(MediaCheck.probe(joined, "v:0", "packet=pts_time").lines().findFirst().orElseThrow()),
                1e-9, "the picture moved to the same place");
        // every packet decodes: FFmpeg reports no error reading the whole file
        byte[] said = MediaCheck.run(List.of("ffmpeg", "-v", "error", "-i", joined.toString(), "-f", "null", "-"));
        assertEquals("", new String(said, StandardCharsets.UTF_8).trim());
    }

    @Test
    void soundOfMoreThanTwoChannelsIsRefused() {
        byte[] head = new byte[19];
        head[9] = 6;
        head[18] = 1; // channel mapping family 1: a table follows, not carried
        IOException e = assertThrows(IOException.class, () -> Fmp4.withOpusTrack(box("moov", box("mvex", new byte[0])), head));
        assertTrue(e.getMessage().contains("family 0"), e.getMessage());
    }

    private static byte[] box(String type, byte[] payload) {
        byte[] b = new byte[8 + payload.length];
        java.nio.ByteBuffer.wrap(b).putInt(b.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
