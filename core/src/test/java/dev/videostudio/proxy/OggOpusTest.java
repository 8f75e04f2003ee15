package dev.videostudio.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OggOpusTest {

    @TempDir
    Path dir;

    @Test
    void packetLengthsComeFromTheTocByte() {
        assertEquals(960, OggOpus.samples(new byte[] {(byte) (31 << 3)}), "CELT 20 ms, one frame");
        assertEquals(480, OggOpus.samples(new byte[] {(byte) (30 << 3)}), "CELT 10 ms");
        assertEquals(1920, OggOpus.samples(new byte[] {(byte) (1 << 3 | 1)}), "SILK 20 ms, two frames");
        assertEquals(4 * 120, OggOpus.samples(new byte[] {(byte) (16 << 3 | 3), 4}), "CELT 2.5 ms, four frames");
    }

    @Test
    void writtenPacketsReadBackWithLongPacketsLaced() throws IOException {
        byte[] head = head(312);
        byte[] tags = "OpusTags\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] p = new byte[i == 7 ? 600 : 40 + i]; // one packet longer than 255 bytes
            p[0] = (byte) (31 << 3);
            p[p.length - 1] = (byte) i;
            packets.add(p);
        }
        Path file = dir.resolve("x.ogg");
        OggOpus.write(file, head, tags, packets, 120 * 960 - 500);
        OggOpus.Stream back = OggOpus.read(file);
        assertEquals(312, back.preSkip());
        assertEquals(packets.size(), back.packets().size());
        for (int i = 0; i < packets.size(); i++) {
            assertArrayEquals(packets.get(i), back.packets().get(i));
        }
    }

    @Test
    void anythingElseIsRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("t.ogg"), "not an ogg file at all, just some text");
        assertTrue(assertThrows(IOException.class, () -> OggOpus.read(text)).getMessage().contains("not an Ogg page"));
    }

    private static byte[] head(int preSkip) {
        byte[] h = new byte[19];
        System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, h, 0, 8);
        h[8] = 1;
        h[9] = 2;
        h[10] = (byte) preSkip;
        h[11] = (byte) (preSkip >> 8);
        return h;
    }
}
