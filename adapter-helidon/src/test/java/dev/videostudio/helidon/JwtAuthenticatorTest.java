package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.videostudio.StudioException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWT mode against a JWKS served by the test on a loopback port, and against PEM keys. */
class JwtAuthenticatorTest {

    static TestJwt idp;
    static Authenticator auth;

    @BeforeAll
    static void start() {
        idp = TestJwt.start();
        auth = Authenticator.of(config(idp.settings()));
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    static AccessConfig config(Map<String, String> settings) {
        return AccessConfig.from(Config.builder().addSource(ConfigSources.create(settings))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build().get("studio"));
    }

    private static void refused(String token) {
        StudioException e = assertThrows(StudioException.class, () -> auth.authenticate(token));
        assertEquals(401, e.problem().httpStatus(), e.getMessage());
    }

    @Test
    void aValidTokenGivesItsTenantAndRole() {
        assertEquals(new Caller("acme", Role.EDITOR), auth.authenticate(idp.token("acme", "editor")));
        assertEquals(new Caller("acme", Role.VIEWER), auth.authenticate(idp.token("acme", "Viewer")));
    }

    @Test
    void algNoneIsRefused() {
        String plain = new PlainJWT(new PlainHeader(), TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600)).build())
                .serialize();
        refused(plain);
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        // the classic key confusion: the public key's bytes used as an HMAC secret
        byte[] publicKey = idp.key.toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600)).build());
        jwt.sign(new MACSigner(publicKey));
        refused(jwt.serialize());
        byte[] pemText = Base64.getMimeEncoder().encode(publicKey);
        SignedJWT jwt2 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).build(),
                TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600)).build());
        jwt2.sign(new MACSigner(pemText));
        refused(jwt2.serialize());
    }

    @Test
    void anEcTokenAgainstRsaKeysIsRefused() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600)).build());
        jwt.sign(new ECDSASigner(ec));
        refused(jwt.serialize());
    }

    @Test
    void wrongIssuerAudienceOrSignatureIsRefused() {
        refused(TestJwt.sign(idp.key, TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600))
                .issuer("https://evil.test").build()));
        refused(TestJwt.sign(idp.key, TestJwt.claims("acme", "admin", Instant.now().plusSeconds(600))
                .audience("another-app").build()));
        refused(idp.wrongSignature("acme", "admin"));
    }

    @Test
    void expiryHasASmallClockSkew() {
        refused(idp.expired("acme", "editor", 300));
        assertEquals(new Caller("acme", Role.EDITOR), auth.authenticate(idp.expired("acme", "editor", 10)));
        refused(TestJwt.sign(idp.key, new JWTClaimsSet.Builder().issuer(TestJwt.ISSUER).audience(TestJwt.AUDIENCE)
                .claim("tenant", "acme").claim("role", "admin").build())); // no exp at all
    }

    @Test
    void missingOrBadClaimsAreRefused() {
        refused(idp.token("../etc", "admin"));
        refused(idp.token("acme", "owner"));
        refused("not.a.jwt");
        refused("garbage");
    }

    @Test
    void pemPublicKeysWorkAsWell(@TempDir Path dir) throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(idp.key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = dir.resolve("keys.pem");
        Files.writeString(file, pem);
        Map<String, String> settings = new HashMap<>(idp.settings());
        settings.put("studio.auth.jwks", file.toString());
        Authenticator pemAuth = Authenticator.of(config(settings));
        assertEquals(new Caller("acme", Role.ADMIN), pemAuth.authenticate(idp.token("acme", "admin")));
        assertThrows(StudioException.class, () -> pemAuth.authenticate(idp.wrongSignature("acme", "admin")));
    }
}
