package dev.videostudio.helidon;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.videostudio.MediaRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bearer JWTs checked by Nimbus JOSE+JWT against a JWKS URL (fetched and cached by Nimbus), a JWKS
 * file or PEM public keys. Only asymmetric signatures are accepted, so {@code alg: none} and an
 * HS256 token "signed" with the public key are refused; {@code exp} is required, with a small clock
 * skew; issuer and audience are checked when configured.
 */
final class JwtAuthenticator implements Authenticator {

    /** RSA, RSA-PSS, EC and EdDSA: never HMAC, whose key would be the public key an attacker knows. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.Ed25519, JWSAlgorithm.EdDSA);
    private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z ]+-----[^-]+-----END [A-Z ]+-----");

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final String tenantClaim;
    private final String roleClaim;

    private JwtAuthenticator(ConfigurableJWTProcessor<SecurityContext> processor, String tenantClaim, String roleClaim) {
        this.processor = processor;
        this.tenantClaim = tenantClaim;
        this.roleClaim = roleClaim;
    }

    static JwtAuthenticator create(AccessConfig config) {
        if (config.jwks() == null) {
            throw new IllegalArgumentException("studio.auth.mode=jwt needs studio.auth.jwks (a JWKS URL, file or PEM keys)");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys(config.jwks()));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (config.issuer() != null) {
            exact.issuer(config.issuer());
        }
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                config.audience() == null ? null : Set.of(config.audience()), exact.build(),
                new HashSet<>(List.of("exp", config.tenantClaim(), config.roleClaim())), null);
        verifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
        return new JwtAuthenticator(processor, config.tenantClaim(), config.roleClaim());
    }

    /** A remote JWKS (cached, refreshed when an unknown key id shows up), a JWKS file, or PEM keys. */
    private static JWSKeySelector<SecurityContext> keys(String jwks) {
        try {
            if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
                JWKSource<SecurityContext> remote = JWKSourceBuilder.<SecurityContext>create(URI.create(jwks).toURL())
                        .retrying(true).build();
                return new JWSVerificationKeySelector<>(ALGORITHMS, remote);
            }
            String text = jwks.contains("-----BEGIN") || jwks.startsWith("{") ? jwks : Files.readString(Path.of(jwks));
            if (text.strip().startsWith("{")) {
                return new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(JWKSet.parse(text)));
            }
            List<JWK> list = new ArrayList<>();
            Matcher m = PEM.matcher(text);
            while (m.find()) {
                list.add(publicKey(m.group()));
            }
            if (list.isEmpty()) {
                throw new IllegalArgumentException("studio.auth.jwks holds no PEM public key");
            }
            return pemSelector(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read studio.auth.jwks", e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("studio.auth.jwks is not a JWKS or PEM public keys: " + e.getMessage(), e);
        }
    }

    /** PEM keys have no key id: every key of the algorithm's type is tried. */
    private static JWSKeySelector<SecurityContext> pemSelector(List<JWK> jwks) throws JOSEException {
        List<Map.Entry<KeyType, Key>> keys = new ArrayList<>();
        for (JWK k : jwks) {
            keys.add(Map.entry(k.getKeyType(), ((AsymmetricJWK) k).toPublicKey()));
        }
        return (header, context) -> {
            List<Key> out = new ArrayList<>();
            if (!ALGORITHMS.contains(header.getAlgorithm())) {
                return out;
            }
            KeyType type = KeyType.forAlgorithm(header.getAlgorithm());
            for (Map.Entry<KeyType, Key> k : keys) {
                if (k.getKey().equals(type)) {
                    out.add(k.getValue());
                }
            }
            return out;
        };
    }

    /**
     * A {@code PUBLIC KEY} PEM block (RSA or EC) as a JWK, with the JDK's own key factories (Nimbus's
     * PEM reader needs BouncyCastle, a large dependency for this one step).
     */
    private static JWK publicKey(String pem) throws JOSEException {
        if (!pem.startsWith("-----BEGIN PUBLIC KEY-----")) {
            throw new JOSEException("only 'PUBLIC KEY' PEM blocks are read");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (GeneralSecurityException notRsa) {
            try {
                ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new JOSEException("a PEM block is neither an RSA nor an EC public key");
            }
        }
    }

    @Override
    public Caller authenticate(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw Authenticator.unauthorized("invalid_token", "the token is not a JWT");
        } catch (BadJOSEException e) {
            // Nimbus says which check failed (expired, wrong audience...): safe and useful to the client
            throw Authenticator.unauthorized("invalid_token", "the token is refused: " + e.getMessage());
        } catch (JOSEException e) {
            throw Authenticator.unauthorized("invalid_token", "the token cannot be verified");
        } catch (RuntimeException e) {
            // a JWKS that cannot be fetched is the server's problem, but the request still is unauthenticated
            throw Authenticator.unauthorized("invalid_token", "the token cannot be verified now");
        }
        Object tenant = claims.getClaim(tenantClaim);
        if (!(tenant instanceof String t) || !MediaRoot.isValidId(t)) {
            throw Authenticator.unauthorized("invalid_token", "the token's '" + tenantClaim + "' claim is not a tenant id");
        }
        return new Caller(t, role(claims.getClaim(roleClaim)));
    }

    /** A role claim is a name, or a list of names of which the highest counts. */
    private static Role role(Object claim) {
        if (claim instanceof List<?> names) {
            Role best = null;
            for (Object n : names) {
                try {
                    Role r = Role.parse(String.valueOf(n));
                    best = best == null || r.includes(best) ? r : best;
                } catch (RuntimeException ignored) {
                    // other roles of the identity provider are not ours
                }
            }
            if (best != null) {
                return best;
            }
        }
        return Role.parse(claim instanceof String s ? s : null);
    }
}
