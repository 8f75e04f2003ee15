package dev.videostudio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, with a writer that fails the way the JDK does on ENOSPC (the test double of a full
 * file store; the HTTP tests also fill a real tmpfs where mounting is permitted).
 */
class StorageFailureTest {

    @Test
    void aFullDiskDuringACrashSafeWriteIsInsufficientStorageAndLeavesNothing(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("waveforms").resolve("a_1.json");
        StudioException e = assertThrows(StudioException.class, () -> MediaRoot.writeAtomically(target, out -> {
            out.write(new byte[1000]);
            throw new FileSystemException(dir.resolve("waveforms/.tmp-w_x-a_1.json").toString(), null,
                    "No space left on device");
        }));
        assertEquals(StudioException.Problem.INSUFFICIENT_STORAGE, e.problem());
        assertEquals(507, e.problem().httpStatus());
        assertEquals("insufficient_storage", e.code());
        assertFalse(e.toErrorInfo().message().contains(dir.toString()), e.toErrorInfo().message());
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(0, left.count(), "no partial or temporary file");
        }
    }

    @Test
    void otherWriteFailuresStayUncheckedWithoutAPath(@TempDir Path dir) {
        RuntimeException e = StudioException.writeFailure("a_1.json", new IOException(dir + "/x: Permission denied"));
        assertFalse(e instanceof StudioException);
        assertFalse(e.getMessage().contains(dir.toString()));
        assertTrue(StudioException.isNoSpace(new RuntimeException(new IOException("Disk quota exceeded"))));
    }

    @Test
    void errorMessagesNeverShowServerPaths() {
        assertEquals("not a media file FFmpeg can read: the uploaded file: Invalid data found",
                ErrorInfo.of("x", "not a media file FFmpeg can read: /srv/media/video_assets/.tmp-w_abc-a_1: Invalid data found")
                        .message());
        assertEquals("cannot read clip.mp4", ErrorInfo.of("x", "cannot read /home/u/media/video_assets/clip.mp4").message());
        assertEquals("POST /api/generate/video/timeline/t_1/proxy first; see /media/video_proxies/t_1.webm",
                ErrorInfo.of("x", "POST /api/generate/video/timeline/t_1/proxy first; see /media/video_proxies/t_1.webm")
                        .message());
        assertEquals("at http://host/a/b", ErrorInfo.of("x", "at http://host/a/b").message());
    }
}
