package dev.videostudio.helidon;

import dev.videostudio.MediaRoot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * API keys from configuration: {@code secret=tenant:role,...}. Only SHA-256 digests are kept (a
 * secret given as {@code sha256:HEX} never existed in plain text here), and a presented token is
 * compared with every digest in constant time.
 */
final class TokenAuthenticator implements Authenticator {

    private record Entry(byte[] digest, Caller caller) {
    }

    private final List<Entry> entries;

    private TokenAuthenticator(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static TokenAuthenticator parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        for (String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.lastIndexOf('=');
            int colon = item.lastIndexOf(':');
            if (eq <= 0 || colon < eq) {
                throw new IllegalArgumentException("studio.auth.tokens: each entry is secret=tenant:role");
            }
            String secret = item.substring(0, eq).strip();
            String tenant = item.substring(eq + 1, colon).strip();
            if (!MediaRoot.isValidId(tenant)) {
                throw new IllegalArgumentException("studio.auth.tokens: tenant '" + tenant + "' is not a valid id");
            }
            Role role = Role.valueOf(item.substring(colon + 1).strip().toUpperCase(java.util.Locale.ROOT));
            byte[] digest = secret.startsWith("sha256:")
                    ? HexFormat.of().parseHex(secret.substring(7))
                    : sha256(secret);
            if (digest.length != 32) {
                throw new IllegalArgumentException("studio.auth.tokens: a sha256: secret has 64 hex digits");
            }
            entries.add(new Entry(digest, new Caller(tenant, role)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("studio.auth.mode=token needs STUDIO_AUTH_TOKENS (secret=tenant:role,...)");
        }
        return new TokenAuthenticator(entries);
    }

    @Override
    public Caller authenticate(String token) {
        byte[] digest = sha256(token);
        Caller found = null;
        for (Entry e : entries) {
            // no early exit: the time taken does not tell which entry matched
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
                found = e.caller();
            }
        }
        if (found == null) {
            throw Authenticator.unauthorized("invalid_token", "the token is not valid");
        }
        return found;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
