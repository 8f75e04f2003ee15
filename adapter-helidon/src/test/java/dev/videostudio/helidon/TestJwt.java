package dev.videostudio.helidon;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/**
 * An identity provider for tests: an RSA key, its JWKS served on a loopback port, and tokens
 * minted with it (or with a stranger's key, for the wrong-signature case).
 */
final class TestJwt implements AutoCloseable {

    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "video-studio";

    final RSAKey key;
    final RSAKey stranger;
    private final HttpServer server;

    private TestJwt() {
        try {
            key = new RSAKeyGenerator(2048).keyID("k1").generate();
            stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        server.start();
    }

    static TestJwt start() {
        return new TestJwt();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** A valid token for one hour. */
    String token(String tenant, String role) {
        return sign(key, claims(tenant, role, Instant.now().plusSeconds(3600)).build());
    }

    /** A token that expired {@code secondsAgo} seconds ago. */
    String expired(String tenant, String role, long secondsAgo) {
        return sign(key, claims(tenant, role, Instant.now().minusSeconds(secondsAgo)).build());
    }

    /** A token signed with another key that has the same key id. */
    String wrongSignature(String tenant, String role) {
        return sign(stranger, claims(tenant, role, Instant.now().plusSeconds(3600)).build());
    }

    static JWTClaimsSet.Builder claims(String tenant, String role, Instant expiry) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("someone")
                .claim("tenant", tenant).claim("role", role).expirationTime(Date.from(expiry))
                .issueTime(new Date());
    }

    static String sign(RSAKey with, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The studio settings of jwt mode against this provider. */
    java.util.Map<String, String> settings() {
        return java.util.Map.of("studio.auth.mode", "jwt", "studio.auth.jwks", jwksUrl(),
                "studio.auth.issuer", ISSUER, "studio.auth.audience", AUDIENCE,
                "studio.auth.url-key", "test-url-key");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
