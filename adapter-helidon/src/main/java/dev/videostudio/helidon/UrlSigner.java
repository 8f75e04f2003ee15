package dev.videostudio.helidon;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed media URLs, for elements that cannot send a header ({@code <video>}, {@code <img>}): an
 * HMAC-SHA256 over the path, the tenant and an expiry. The first key signs; every key verifies, so
 * a new key can be put first while URLs signed with the old one still work.
 */
final class UrlSigner {

    private static final Logger LOG = LoggerFactory.getLogger(UrlSigner.class);
    static final String TENANT = "tenant";
    static final String EXPIRES = "expires";
    static final String SIGNATURE = "sig";

    private final List<byte[]> keys;
    private final Duration ttl;
    private final Clock clock;

    UrlSigner(List<byte[]> keys, Duration ttl, Clock clock) {
        if (keys.isEmpty() || ttl.toSeconds() < 2) {
            throw new IllegalArgumentException("a URL signer needs a key and a time to live of 2 s or more");
        }
        this.keys = List.copyOf(keys);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** From {@code studio.auth.url-key} (and {@code url-key-previous}); a random key when none is set. */
    static UrlSigner from(AccessConfig config) {
        List<byte[]> keys = new ArrayList<>();
        for (String k : config.urlKeys()) {
            keys.add(k.startsWith("base64:") ? Base64.getDecoder().decode(k.substring(7)) : k.getBytes(StandardCharsets.UTF_8));
        }
        if (keys.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            keys.add(random);
            if (config.authOn()) {
                LOG.warn("studio.auth.url-key is not set: media URLs are signed with a random key and stop working at "
                        + "restart; several servers behind one address need the same key");
            }
        }
        return new UrlSigner(keys, config.urlTtl(), Clock.systemUTC());
    }

    /**
     * {@code url} with {@code tenant}, {@code expires} and {@code sig} added. The expiry is rounded
     * to half the time to live, so the same URL is returned for a while: a polling page does not
     * reload its video, and browser caches keep working.
     */
    String sign(String url, String tenant) {
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        long half = Math.max(1, ttl.toSeconds() / 2);
        long expires = (clock.instant().getEpochSecond() / half + 2) * half;
        return url + (q < 0 ? "?" : "&") + TENANT + "=" + tenant + "&" + EXPIRES + "=" + expires + "&" + SIGNATURE + "="
                + mac(keys.getFirst(), path, tenant, expires);
    }

    /** Checks a signed request; 403 when a part is missing, altered or expired. */
    void verify(String path, String tenant, String expires, String signature) {
        if (tenant == null || expires == null || signature == null || !MediaRoot.isValidId(tenant)) {
            throw forbidden("media files need a signed URL (from the API's 'url' fields)");
        }
        long exp;
        try {
            exp = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw forbidden("the media URL's signature is not valid");
        }
        boolean valid = false;
        for (byte[] key : keys) {
            valid |= MessageDigest.isEqual(mac(key, path, tenant, exp).getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII));
        }
        if (!valid) {
            throw forbidden("the media URL's signature is not valid");
        }
        if (clock.instant().getEpochSecond() > exp) {
            throw new StudioException(Problem.FORBIDDEN, "url_expired", "the media URL has expired: ask the API for a fresh one");
        }
    }

    private static String mac(byte[] key, String path, String tenant, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((path + "\n" + tenant + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StudioException forbidden(String message) {
        return new StudioException(Problem.FORBIDDEN, "invalid_signature", message);
    }
}
