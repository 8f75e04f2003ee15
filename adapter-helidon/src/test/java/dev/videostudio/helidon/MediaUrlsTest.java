package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.videostudio.StudioException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaUrlsTest {

    private final UrlSigner signer = new UrlSigner(List.of("key-one".getBytes(StandardCharsets.UTF_8)),
            Duration.ofHours(1), Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

    /** A live playlist's segments are fetched by the player as named: each name must carry its own signature. */
    @Test
    void aPlaylistIsServedWithEverySegmentSignedForItsTenant() {
        String playlist = String.join("\n", "#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-PLAYLIST-TYPE:EVENT",
                "#EXT-X-MAP:URI=\"t_1.live-j.init.mp4\"", "#EXTINF:1.000000,", "t_1.live-j.0.m4s",
                "#EXTINF:2.000000,", "t_1.live-j.1.m4s", "");
        String signed = new MediaUrls(signer).signPlaylist(playlist, "/media/video_proxies/", "ta");
        List<String> lines = signed.lines().toList();
        assertEquals(playlist.lines().count(), lines.size(), signed);
        String map = lines.get(3);
        String init = map.substring(map.indexOf('"') + 1, map.lastIndexOf('"'));
        for (String url : List.of(init, lines.get(5), lines.get(7))) {
            URI u = URI.create(url);
            assertTrue(u.getPath().startsWith("/media/video_proxies/t_1.live-j."), url);
            String q = u.getQuery();
            signer.verify(u.getPath(), param(q, UrlSigner.TENANT), param(q, UrlSigner.EXPIRES), param(q, UrlSigner.SIGNATURE));
            // the signature names this file and tenant only
            assertThrows(StudioException.class, () -> signer.verify("/media/video_proxies/t_2.live-j.0.m4s",
                    param(q, UrlSigner.TENANT), param(q, UrlSigner.EXPIRES), param(q, UrlSigner.SIGNATURE)));
        }
        assertEquals(List.of("#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-PLAYLIST-TYPE:EVENT"), lines.subList(0, 3));
        assertEquals(playlist, new MediaUrls(null).signPlaylist(playlist, "/media/video_proxies/", "ta"),
                "without auth the playlist is left as it is");
    }

    private static String param(String query, String name) {
        for (String kv : query.split("&")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }
}
