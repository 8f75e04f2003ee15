package dev.videostudio.ffmpeg;

import dev.videostudio.internal.FileLocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Top-level box walk of an ISO BMFF (MP4/MOV) file. ffprobe accepts a "fast start" MP4 cut
 * short, since its index comes first; the boxes' declared sizes tell that data is missing.
 */
final class IsoBoxes {

    private IsoBoxes() {
    }

    /** True when a top-level box claims more bytes than the file holds. */
    static boolean isTruncated(Path file) {
        try {
            // through FileLocks: an upload being probed is locked, and a second channel would drop the lock
            return FileLocks.read(file, IsoBoxes::isTruncated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean isTruncated(FileChannel ch) throws IOException {
        long size = ch.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(16);
        while (pos + 8 <= size) {
            header.clear().limit(16);
            ch.read(header, pos);
            header.flip();
            if (header.remaining() < 8) {
                return true;
            }
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            int headerLength = 8;
            if (boxSize == 1) {
                if (header.remaining() < 16) {
                    return true;
                }
                boxSize = header.getLong(8);
                headerLength = 16;
            } else if (boxSize == 0) {
                return false; // the last box runs to the end of the file by definition
            }
            if (boxSize < headerLength) {
                return true;
            }
            pos += boxSize;
        }
        return pos > size;
    }
}
