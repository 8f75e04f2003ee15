package dev.videostudio.ffmpeg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsoBoxesTest {

    private static byte[] box(String type, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putInt(8 + payload).put(type.getBytes());
        return b.array();
    }

    private static Path write(Path dir, byte[]... boxes) throws IOException {
        Path f = Files.createTempFile(dir, "boxes", "");
        for (byte[] b : boxes) {
            Files.write(f, b, java.nio.file.StandardOpenOption.APPEND);
        }
        return f;
    }

    @Test
    void completeFilesAreNotTruncated(@TempDir Path dir) throws IOException {
        assertFalse(IsoBoxes.isTruncated(write(dir, box("ftyp", 16), box("moov", 100), box("mdat", 1000))));
    }

    @Test
    void aBoxRunningPastTheEndIsTruncation(@TempDir Path dir) throws IOException {
        byte[] mdat = box("mdat", 1000);
        byte[] cut = java.util.Arrays.copyOf(mdat, 500);
        assertTrue(IsoBoxes.isTruncated(write(dir, box("ftyp", 16), box("moov", 100), cut)));
    }

    @Test
    void sizeZeroRunsToTheEnd(@TempDir Path dir) throws IOException {
        byte[] open = box("mdat", 10);
        open[0] = open[1] = open[2] = open[3] = 0;
        assertFalse(IsoBoxes.isTruncated(write(dir, box("ftyp", 16), open)));
    }

    @Test
    void largeSizesAreRead(@TempDir Path dir) throws IOException {
        ByteBuffer large = ByteBuffer.allocate(16 + 20);
        large.putInt(1).put("mdat".getBytes()).putLong(16 + 20);
        assertFalse(IsoBoxes.isTruncated(write(dir, box("ftyp", 16), large.array())));
        ByteBuffer lying = ByteBuffer.allocate(16 + 20);
        lying.putInt(1).put("mdat".getBytes()).putLong(1L << 40);
        assertTrue(IsoBoxes.isTruncated(write(dir, box("ftyp", 16), lying.array())));
    }
}
