package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * The one checkpoint of who may call what: finds the request's row in {@link RouteTable},
 * authenticates the caller (or checks the signed media URL), checks the role and the disk reserve,
 * and leaves the {@link Caller} in the request context for the handlers' tenant checks.
 */
final class AccessFilter implements Filter {

    private final AccessConfig config;
    private final Authenticator authenticator;
    private final UrlSigner signer;
    private final StorageGuard storage;

    AccessFilter(AccessConfig config, Authenticator authenticator, UrlSigner signer, StorageGuard storage) {
        this.config = config;
        this.authenticator = authenticator;
        this.signer = signer;
        this.storage = storage;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        // decoded, as routing sees it: "/%6detrics" must not pass as a public path and reach /metrics
        String path = req.prologue().uriPath().path();
        if (method.equals(Method.OPTIONS)) {
            chain.proceed(); // CORS preflights carry no credentials and reach no handler
            return;
        }
        Optional<RouteTable.Route> route = RouteTable.match(method, path);
        if (route.isEmpty()) {
            if (RouteTable.guarded(path)) {
                if (RouteTable.pathKnown(path)) {
                    throw new HttpException(method.text() + " is not allowed here", Status.METHOD_NOT_ALLOWED_405);
                }
                throw new StudioException(Problem.NOT_FOUND, "not_found", "no such resource");
            }
            chain.proceed(); // the studio page and its files
            return;
        }
        RouteTable.Route r = route.get();
        switch (r.access()) {
            case PUBLIC -> { }
            case SIGNED_URL -> {
                if (config.authOn()) {
                    signer.verify(path, req.query().first(UrlSigner.TENANT).orElse(null),
                            req.query().first(UrlSigner.EXPIRES).orElse(null),
                            req.query().first(UrlSigner.SIGNATURE).orElse(null));
                    req.context().register(new Caller(req.query().first(UrlSigner.TENANT).get(), Role.VIEWER));
                }
            }
            default -> {
                Caller caller = config.authOn() ? authenticator.authenticate(Authenticator.bearer(req)) : Caller.ANONYMOUS;
                if (!caller.role().includes(r.access().role())) {
                    throw Caller.forbidden(r.access().role());
                }
                req.context().register(caller);
            }
        }
        if (r.writes()) {
            storage.requireRoom();
        }
        chain.proceed();
    }
}
