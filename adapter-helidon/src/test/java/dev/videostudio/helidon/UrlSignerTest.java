package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videostudio.StudioException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlSignerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] OLD = "old-key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "new-key".getBytes(StandardCharsets.UTF_8);

    private static UrlSigner signer(Instant at, byte[]... keys) {
        return new UrlSigner(List.of(keys), Duration.ofHours(1), Clock.fixed(at, ZoneOffset.UTC));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        for (String kv : url.substring(url.indexOf('?') + 1).split("&")) {
            q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return q;
    }

    private static void verify(UrlSigner s, String path, Map<String, String> q) {
        s.verify(path, q.get("tenant"), q.get("expires"), q.get("sig"));
    }

    private static void forbidden(UrlSigner s, String path, Map<String, String> q) {
        StudioException e = assertThrows(StudioException.class, () -> verify(s, path, q));
        assertEquals(403, e.problem().httpStatus());
    }

    @Test
    void aSignedUrlVerifiesAndEveryAlterationIsRefused() {
        UrlSigner s = signer(NOW, NEW);
        String url = s.sign("/media/video_proxies/t_1.webm?v=3", "acme");
        Map<String, String> q = query(url);
        assertEquals("3", q.get("v"));
        assertDoesNotThrow(() -> verify(s, "/media/video_proxies/t_1.webm", q));
        forbidden(s, "/media/video_proxies/t_2.webm", q);
        Map<String, String> tenant = new HashMap<>(q);
        tenant.put("tenant", "beta");
        forbidden(s, "/media/video_proxies/t_1.webm", tenant);
        Map<String, String> expiry = new HashMap<>(q);
        expiry.put("expires", String.valueOf(Long.parseLong(q.get("expires")) + 3600));
        forbidden(s, "/media/video_proxies/t_1.webm", expiry);
        Map<String, String> sig = new HashMap<>(q);
        sig.put("sig", (q.get("sig").charAt(0) == 'A' ? "B" : "A") + q.get("sig").substring(1));
        forbidden(s, "/media/video_proxies/t_1.webm", sig);
        Map<String, String> missing = new HashMap<>(q);
        missing.remove("sig");
        forbidden(s, "/media/video_proxies/t_1.webm", missing);
    }

    @Test
    void aUrlExpiresAfterItsTimeToLiveAndIsStableMeanwhile() {
        String url = signer(NOW, NEW).sign("/media/waveforms/a_1.json", "acme");
        assertEquals(url, signer(NOW.plusSeconds(60), NEW).sign("/media/waveforms/a_1.json", "acme"),
                "the same URL within the rounding window: a polling page keeps its <video>");
        long expires = Long.parseLong(query(url).get("expires"));
        assertDoesNotThrow(() -> verify(signer(Instant.ofEpochSecond(expires), NEW), "/media/waveforms/a_1.json", query(url)));
        StudioException e = assertThrows(StudioException.class, () -> verify(signer(Instant.ofEpochSecond(expires + 1), NEW),
                "/media/waveforms/a_1.json", query(url)));
        assertEquals("url_expired", e.code());
        org.junit.jupiter.api.Assertions.assertTrue(expires - NOW.getEpochSecond() >= 1800, "at least half the TTL left");
    }

    @Test
    void keyRotationAcceptsBothKeysThenDropsTheOldOne() {
        String byOld = signer(NOW, OLD).sign("/media/video_assets/a_1.mp4", "acme");
        UrlSigner rotating = signer(NOW, NEW, OLD);
        assertDoesNotThrow(() -> verify(rotating, "/media/video_assets/a_1.mp4", query(byOld)));
        String byNew = rotating.sign("/media/video_assets/a_1.mp4", "acme");
        assertDoesNotThrow(() -> verify(signer(NOW, NEW), "/media/video_assets/a_1.mp4", query(byNew)));
        forbidden(signer(NOW, NEW), "/media/video_assets/a_1.mp4", query(byOld));
    }
}
