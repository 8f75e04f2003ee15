package dev.videostudio.helidon;

import io.helidon.http.Method;
import java.util.List;
import java.util.Optional;

/**
 * Every route of the API with who may call it, in one table. {@link AccessFilter} enforces it and
 * the access matrix test is generated from it; an {@code /api} or {@code /media} request that no
 * row matches is refused, so a route added without its row cannot be reached.
 */
final class RouteTable {

    /** Who may call a route. */
    enum Access {
        /** Anyone: health, the studio page. */
        PUBLIC,
        /** A media file: with auth on, only through a signed URL (a {@code <video>} cannot send a header). */
        SIGNED_URL,
        VIEWER, EDITOR, ADMIN;

        Role role() {
            return switch (this) {
                case VIEWER -> Role.VIEWER;
                case EDITOR -> Role.EDITOR;
                case ADMIN -> Role.ADMIN;
                default -> null;
            };
        }
    }

    /**
     * One route.
     *
     * @param method   its method (a GET row also answers HEAD)
     * @param template its path; {@code {name}} is one segment, a final {@code *} the rest
     * @param access   who may call it
     * @param writes   it stores files or starts a job: refused while the disk is below its reserve
     */
    record Route(Method method, String template, Access access, boolean writes) {
        boolean matches(Method m, String path) {
            return methodMatches(m) && pathMatches(path);
        }

        boolean methodMatches(Method m) {
            return method.equals(m) || (m.equals(Method.HEAD) && method.equals(Method.GET));
        }

        boolean pathMatches(String path) {
            return segmentsMatch(template.split("/", -1), path.split("/", -1));
        }
    }

    /** True when the segments of a path fit those of a template. */
    private static boolean segmentsMatch(String[] want, String[] got) {
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("*") && i == want.length - 1) {
                return got.length >= want.length;
            }
            if (i >= got.length) {
                return false;
            }
            boolean param = want[i].startsWith("{") && want[i].endsWith("}");
            if (param ? got[i].isEmpty() : !want[i].equals(got[i])) {
                return false;
            }
        }
        return got.length == want.length;
    }

    private static final String ASSETS = AssetHttpService.PATH;
    private static final String TIMELINES = TimelineHttpService.PATH;
    private static final String JOBS = JobHttpService.PATH;
    private static final String UPLOADS = TusHttpService.PATH;

    static final List<Route> ROUTES = List.of(
            new Route(Method.GET, "/health", Access.PUBLIC, false),
            new Route(Method.GET, "/health/*", Access.PUBLIC, false),
            new Route(Method.GET, "/metrics", Access.ADMIN, false),
            new Route(Method.GET, "/metrics/*", Access.ADMIN, false),
            new Route(Method.POST, ASSETS, Access.EDITOR, true),
            new Route(Method.GET, ASSETS, Access.VIEWER, false),
            new Route(Method.GET, ASSETS + "/{asset_id}", Access.VIEWER, false),
            new Route(Method.DELETE, ASSETS + "/{asset_id}", Access.EDITOR, false),
            // a GET starts the waveform's one job when it is missing: a viewer may, it is bounded by the job limit
            new Route(Method.GET, ASSETS + "/{asset_id}/waveform", Access.VIEWER, true),
            new Route(Method.POST, ASSETS + "/{asset_id}/waveform", Access.EDITOR, true),
            // a GET makes the asset's frame strip once when it is missing: files written, like the waveform's
            new Route(Method.GET, ASSETS + "/{asset_id}/thumbnails", Access.VIEWER, true),
            // tus: OPTIONS only tells the protocol's capabilities; the upload itself is an editor's
            new Route(Method.OPTIONS, UPLOADS, Access.PUBLIC, false),
            new Route(Method.POST, UPLOADS, Access.EDITOR, true),
            new Route(Method.OPTIONS, UPLOADS + "/{upload_id}", Access.PUBLIC, false),
            new Route(Method.GET, UPLOADS + "/{upload_id}", Access.EDITOR, false),
            new Route(Method.PATCH, UPLOADS + "/{upload_id}", Access.EDITOR, true),
            new Route(Method.DELETE, UPLOADS + "/{upload_id}", Access.EDITOR, false),
            new Route(Method.POST, TIMELINES, Access.EDITOR, true),
            new Route(Method.GET, TIMELINES, Access.VIEWER, false),
            new Route(Method.POST, TIMELINES + "/otio", Access.EDITOR, true),
            new Route(Method.GET, TIMELINES + "/{timeline_id}", Access.VIEWER, false),
            new Route(Method.DELETE, TIMELINES + "/{timeline_id}", Access.EDITOR, false),
            new Route(Method.GET, TIMELINES + "/{timeline_id}/otio", Access.VIEWER, false),
            new Route(Method.POST, TIMELINES + "/{timeline_id}/proxy", Access.EDITOR, true),
            new Route(Method.GET, TIMELINES + "/{timeline_id}/proxy", Access.VIEWER, false),
            new Route(Method.GET, TIMELINES + "/{timeline_id}/poster", Access.VIEWER, true),
            new Route(Method.GET, TIMELINES + "/{timeline_id}/preview.webp", Access.VIEWER, true),
            new Route(Method.GET, TIMELINES + "/{timeline_id}/preview.gif", Access.VIEWER, true),
            new Route(Method.GET, JOBS + "/{job_id}", Access.VIEWER, false),
            new Route(Method.DELETE, JOBS + "/{job_id}", Access.EDITOR, false),
            new Route(Method.GET, JOBS + "/{job_id}/events", Access.VIEWER, false),
            new Route(Method.GET, MediaFileService.PATH + "/*", Access.SIGNED_URL, false));

    /**
     * The templates of {@link #ROUTES} split once: every request is matched against the table, and
     * splitting each template again cost a fifth of serving a small file.
     */
    private static final String[][] TEMPLATES = ROUTES.stream().map(r -> r.template().split("/", -1)).toArray(String[][]::new);

    private RouteTable() {
    }

    /** The row of a request, if any. */
    static Optional<Route> match(Method method, String path) {
        String[] got = path.split("/", -1);
        for (int i = 0; i < TEMPLATES.length; i++) {
            Route r = ROUTES.get(i);
            if (r.methodMatches(method) && segmentsMatch(TEMPLATES[i], got)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** True when some row has this path with another method (a 405 rather than a 404). */
    static boolean pathKnown(String path) {
        return ROUTES.stream().anyMatch(r -> r.pathMatches(path));
    }

    /** Paths only the table opens: anything else under them is refused. */
    static boolean guarded(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith(MediaFileService.PATH + "/")
                || path.startsWith("/metrics");
    }
}
