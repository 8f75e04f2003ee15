package dev.videostudio.helidon;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves the built studio page (Vite's {@code dist}) at {@code /}. Paths without a file extension
 * get {@code index.html} so that client routes survive a reload; the API, media, health, metrics and openapi
 * paths are never answered here (registered last, it only sees what nothing else took).
 */
final class StudioPageService implements HttpService {

    private static final List<String> NOT_MINE = List.of("/api", "/media", "/health", "/metrics", "/observe", "/openapi");

    private final Path root;

    StudioPageService(Path webRoot) {
        this.root = webRoot.toAbsolutePath().normalize();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/*", this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) throws IOException {
        String path = req.path().path();
        if (NOT_MINE.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            res.next();
            return;
        }
        Path index = root.resolve("index.html");
        if (!Files.isRegularFile(index)) {
            notBuilt(res);
            return;
        }
        Path file = resolve(path);
        if (file != null && Files.isRegularFile(file)) {
            // Vite puts a content hash in every name under assets/: those never change.
            boolean hashed = path.startsWith("/assets/");
            send(res, file, hashed ? "public, max-age=31536000, immutable" : "no-cache");
        } else if (!lastSegment(path).contains(".")) {
            send(res, index, "no-cache");
        } else {
            res.status(Status.NOT_FOUND_404).header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN).send("Not found");
        }
    }

    /** The file under the web root for a request path, or null when it would leave the root. */
    private Path resolve(String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty() || relative.contains("\\") || relative.contains("\0")) {
            return relative.isEmpty() ? root.resolve("index.html") : null;
        }
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            return null;
        }
        try {
            // A link inside the root must not lead outside it either.
            return Files.exists(file) && !file.toRealPath().startsWith(root.toRealPath()) ? null : file;
        } catch (IOException e) {
            return null;
        }
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void send(ServerResponse res, Path file, String cacheControl) throws IOException {
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.detectType(file.getFileName().toString())
                .map(t -> t.text().startsWith("text/") || t.text().endsWith("javascript") ? t.text() + "; charset=UTF-8" : t.text())
                .orElse("application/octet-stream"));
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        res.contentLength(Files.size(file));
        try (OutputStream out = res.outputStream()) {
            Files.copy(file, out);
        }
    }

    private void notBuilt(ServerResponse res) {
        String where = root.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        res.status(Status.NOT_FOUND_404)
                .header(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8")
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .send("""
                        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Video Studio: page not built</title>
                        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
                        code{background:#eee;padding:.1rem .3rem;border-radius:3px}</style></head><body>
                        <h1>The studio page is not built</h1>
                        <p>The server is running and its API answers under <code>/api</code>, but there is no built page in
                        <code>%s</code>.</p>
                        <p>Build it with <code>cd examples/web-studio &amp;&amp; npm ci &amp;&amp; npm run build</code>, or start the
                        server with <code>./studio</code>, which builds it. Another folder can be set with <code>studio.web.root</code>
                        (environment variable <code>STUDIO_WEB_ROOT</code>).</p></body></html>
                        """.formatted(where));
    }
}
