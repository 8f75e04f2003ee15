package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaFileServiceTest {

    @TempDir
    static Path root;

    private static MediaFileService service() {
        MediaRoot media = new MediaRoot(root);
        media.prepare();
        return new MediaFileService(media);
    }

    @Test
    void rangesFollowRfc9110() {
        assertArrayEquals(new long[] {0, 99}, MediaFileService.parseRange("bytes=0-99", 1000));
        assertArrayEquals(new long[] {900, 999}, MediaFileService.parseRange("bytes=900-", 1000));
        assertArrayEquals(new long[] {500, 999}, MediaFileService.parseRange("bytes=500-5000", 1000), "end clamped");
        assertArrayEquals(new long[] {990, 999}, MediaFileService.parseRange("bytes=-10", 1000));
        assertArrayEquals(new long[] {0, 999}, MediaFileService.parseRange("bytes=-5000", 1000), "suffix longer than the file");
        assertNull(MediaFileService.parseRange("bytes=1000-", 1000), "starts past the end");
        assertNull(MediaFileService.parseRange("bytes=50-10", 1000), "end before start");
        assertNull(MediaFileService.parseRange("bytes=-0", 1000));
        assertNull(MediaFileService.parseRange("bytes=99999999999999999999-", 1000));
        assertEquals(0, MediaFileService.parseRange("bytes=0-1,5-6", 1000).length, "several ranges: whole file");
        assertEquals(0, MediaFileService.parseRange("items=0-1", 1000).length, "another unit: whole file");
    }

    @Test
    void plainNamesInPublicFoldersResolveInsideTheRoot() {
        assertEquals(root.toAbsolutePath().normalize().resolve("video_proxies/t_1.webm"),
                service().resolve("/media/video_proxies/t_1.webm"));
        assertEquals(root.toAbsolutePath().normalize().resolve("waveforms/a_1.dat"),
                service().resolve("/media/waveforms/a_1.dat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/media/video_assets/%2e%2e/x", "/media/..", "/media/video_assets/..", "/media/a\\b",
        "/media/video_assets/a%00.mp4"})
    void encodedAndDotPathsAreMalformed(String path) {
        StudioException e = assertThrows(StudioException.class, () -> service().resolve(path));
        assertEquals(400, e.problem().httpStatus(), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/media/jobs/j_1.json", "/media/tmp/x", "/media/timelines/t.json", "/media/segments/s.webm",
        "/media/video_assets/a_1.json", "/media/video_assets/.tmp-w_1-a_1", "/media/waveforms/sub/x.json",
        "/media//etc/passwd", "/media/video_assets/", "/media/", "/media", "/mediaX/video_assets/a.mp4"})
    void privateOrOddPathsAreNotFound(String path) {
        StudioException e = assertThrows(StudioException.class, () -> service().resolve(path));
        assertEquals(404, e.problem().httpStatus(), path);
    }
}
