package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Turns a request's credentials into a {@link Caller}, or fails with 401. */
interface Authenticator {

    /** The caller of a request carrying {@code Authorization: Bearer {@code token}}. */
    Caller authenticate(String token);

    /** The authenticator for {@code config}'s mode. */
    static Authenticator of(AccessConfig config) {
        return switch (config.mode()) {
            case NONE -> token -> Caller.ANONYMOUS;
            case TOKEN -> TokenAuthenticator.parse(config.tokens());
            case JWT -> JwtAuthenticator.create(config);
        };
    }

    /** The bearer token of {@code req}; 401 when there is none. */
    static String bearer(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (header == null || header.isBlank()) {
            throw unauthorized("missing_credentials", "send 'Authorization: Bearer <token>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw unauthorized("invalid_token", "the Authorization header must be 'Bearer <token>'");
        }
        return header.substring(7).strip();
    }

    static StudioException unauthorized(String code, String message) {
        return new StudioException(Problem.UNAUTHORIZED, code, message);
    }
}
