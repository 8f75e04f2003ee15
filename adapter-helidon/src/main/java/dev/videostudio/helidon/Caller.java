package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import io.helidon.webserver.http.ServerRequest;
import java.util.Objects;

/**
 * Who sent a request: the tenant whose things it may touch and its role. Resolved once per
 * request by {@link AccessFilter} and kept in the request context.
 */
record Caller(String tenant, Role role) {

    /** The tenant of the command line, of embedded use and of a server without auth. */
    static final String DEFAULT_TENANT = "default";

    /** A server without auth: one tenant, every right (it listens on loopback only unless told otherwise). */
    static final Caller ANONYMOUS = new Caller(DEFAULT_TENANT, Role.ADMIN);

    Caller {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(role, "role");
    }

    /**
     * The caller of {@code req}; the filter sets one before every API route runs. None means the
     * request did not pass the filter: fail closed rather than fall back to any right.
     */
    static Caller of(ServerRequest req) {
        return req.context().get(Caller.class).orElseThrow(() -> new IllegalStateException(
                "no caller for " + req.path().path() + ": the route is missing from RouteTable"));
    }

    /** May this caller see a thing owned by {@code owner}? (A null owner is the default tenant's, written before tenants.) */
    boolean sees(String owner) {
        return role == Role.ADMIN || tenant.equals(owner == null ? DEFAULT_TENANT : owner);
    }

    /** The tenant lists are filtered by: null (every tenant) for an admin. */
    String listTenant() {
        return role == Role.ADMIN ? null : tenant;
    }

    /** Another tenant's id answers exactly like an unknown one. */
    void requireSees(String owner, String what, String id) {
        if (!sees(owner)) {
            throw StudioException.notFound(what, id);
        }
    }

    static StudioException forbidden(Role needed) {
        return new StudioException(Problem.FORBIDDEN, "forbidden",
                "this needs the role '" + needed.lower() + "' or higher");
    }
}
