package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.videostudio.StudioException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {

    @Test
    void plainAndSha256SecretsResolveToTheirCaller() {
        String hex = HexFormat.of().formatHex(TokenAuthenticator.sha256("s3cret-b"));
        TokenAuthenticator auth = TokenAuthenticator.parse("s3cret-a=acme:editor, sha256:" + hex + "=beta:viewer");
        assertEquals(new Caller("acme", Role.EDITOR), auth.authenticate("s3cret-a"));
        assertEquals(new Caller("beta", Role.VIEWER), auth.authenticate("s3cret-b"));
        StudioException e = assertThrows(StudioException.class, () -> auth.authenticate("sha256:" + hex));
        assertEquals(401, e.problem().httpStatus());
        assertThrows(StudioException.class, () -> auth.authenticate("s3cret-"));
    }

    @Test
    void badConfigurationFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> TokenAuthenticator.parse(""));
        assertThrows(IllegalArgumentException.class, () -> TokenAuthenticator.parse("x=../a:editor"));
        assertThrows(IllegalArgumentException.class, () -> TokenAuthenticator.parse("x=a:owner"));
        assertThrows(IllegalArgumentException.class, () -> TokenAuthenticator.parse("sha256:abcd=a:editor"));
    }
}
