package dev.videostudio.helidon;

import io.helidon.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code studio.auth}, {@code studio.cors} and {@code studio.storage} settings: who may call,
 * from which browser origins, and how much free disk is kept.
 *
 * @param mode                 none, token or jwt
 * @param allowAnonymousRemote with mode none, listen on the configured host anyway (else loopback only)
 * @param tokens               token mode: {@code secret=tenant:role,...}, a secret may be {@code sha256:HEX}
 * @param jwks                 jwt mode: a JWKS URL, a JWKS or PEM file, or PEM text
 * @param issuer               jwt mode: the required {@code iss}, or null
 * @param audience             jwt mode: the required {@code aud}, or null
 * @param tenantClaim          jwt mode: the claim naming the tenant
 * @param roleClaim            jwt mode: the claim naming the role
 * @param clockSkew            jwt mode: tolerance on {@code exp} and {@code nbf}
 * @param urlKeys              keys of signed media URLs, the first signs, every one verifies (rotation)
 * @param urlTtl               how long a signed media URL stays valid (at least half of it from issue)
 * @param corsOrigins          browser origins allowed to call the API, none by default
 * @param storageReserve       free bytes kept on the media root's disk: below, uploads and renders are refused
 * @param quota                per-tenant limits
 */
record AccessConfig(Mode mode, boolean allowAnonymousRemote, String tokens, String jwks, String issuer,
                    String audience, String tenantClaim, String roleClaim, Duration clockSkew,
                    List<String> urlKeys, Duration urlTtl, List<String> corsOrigins, long storageReserve,
                    Quota quota) {

    enum Mode { NONE, TOKEN, JWT }

    /**
     * Per-tenant limits; 0 means no limit.
     *
     * @param storedBytes      bytes of uploads a tenant may keep
     * @param concurrentJobs   jobs of a tenant queued or running at once
     * @param uploadsPerMinute uploads a tenant may start per minute
     */
    record Quota(long storedBytes, int concurrentJobs, int uploadsPerMinute) {
        static final Quota NONE = new Quota(0, 0, 0);
    }

    /** Everything off: the embedded and test default. */
    static final AccessConfig NONE = new AccessConfig(Mode.NONE, false, "", null, null, null, "tenant", "role",
            Duration.ofSeconds(60), List.of(), Duration.ofHours(6), List.of(), 0, Quota.NONE);

    boolean authOn() {
        return mode != Mode.NONE;
    }

    /** Reads the {@code studio} node. */
    static AccessConfig from(Config studio) {
        Config auth = studio.get("auth");
        Mode mode = Mode.valueOf(auth.get("mode").asString().orElse("none").strip().toUpperCase(Locale.ROOT));
        return new AccessConfig(mode,
                auth.get("allow-anonymous-remote").asBoolean().orElse(false),
                auth.get("tokens").asString().orElse(""),
                blankToNull(auth.get("jwks").asString().orElse(null)),
                blankToNull(auth.get("issuer").asString().orElse(null)),
                blankToNull(auth.get("audience").asString().orElse(null)),
                auth.get("tenant-claim").asString().orElse("tenant"),
                auth.get("role-claim").asString().orElse("role"),
                Duration.ofSeconds(auth.get("clock-skew").asLong().orElse(60L)),
                split(auth.get("url-key").asString().orElse("") + "," + auth.get("url-key-previous").asString().orElse("")),
                Duration.ofSeconds(auth.get("url-ttl").asLong().orElse(6 * 3600L)),
                list(studio.get("cors.allowed-origins")),
                studio.get("storage.reserve").asLong().orElse(256L * 1024 * 1024),
                new Quota(studio.get("quota.stored-bytes").asLong().orElse(0L),
                        studio.get("quota.concurrent-jobs").asInt().orElse(0),
                        studio.get("quota.uploads-per-minute").asInt().orElse(0)));
    }

    private static List<String> list(Config node) {
        if (node.isList()) {
            return node.asList(String.class).orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        return split(node.asString().orElse(""));
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
