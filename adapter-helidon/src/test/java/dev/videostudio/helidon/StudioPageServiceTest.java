package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio page route on a real server (port 0) over a temporary web root. */
class StudioPageServiceTest {

    @TempDir
    Path dir;

    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(Path webRoot) {
        server = WebServer.builder()
                .port(0)
                .routing(r -> r.get("/api/ping", (req, res) -> res.send("pong"))
                        .register("/", new StudioPageService(webRoot)))
                .build()
                .start();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path builtPage() throws IOException {
        Path web = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>studio</title>");
        Files.createDirectories(web.resolve("assets"));
        Files.writeString(web.resolve("assets/index-abc123.js"), "console.log('studio')");
        Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        return web;
    }

    @Test
    void servesIndexAndHashedAssets() throws Exception {
        start(builtPage());
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertEquals("<!doctype html><title>studio</title>", index.body());
        assertTrue(index.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        assertEquals("no-cache", index.headers().firstValue("cache-control").orElseThrow());

        HttpResponse<String> js = get("/assets/index-abc123.js");
        assertEquals(200, js.statusCode());
        assertEquals("console.log('studio')", js.body());
        assertTrue(js.headers().firstValue("content-type").orElseThrow().contains("javascript"));
        assertTrue(js.headers().firstValue("cache-control").orElseThrow().contains("immutable"));
    }

    @Test
    void clientRoutesGetTheIndexButMissingFilesAre404() throws Exception {
        start(builtPage());
        HttpResponse<String> route = get("/timelines/abc");
        assertEquals(200, route.statusCode());
        assertTrue(route.body().contains("<title>studio</title>"));
        assertEquals(404, get("/assets/missing.js").statusCode());
    }

    @Test
    void neverLeavesTheWebRoot() throws Exception {
        start(builtPage());
        for (String path : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"}) {
            HttpResponse<String> res = get(path);
            assertFalse(res.body().contains("TOP-SECRET"), path + " answered " + res.statusCode() + " " + res.body());
        }
    }

    @Test
    void leavesApiPathsToTheirServices() throws Exception {
        start(builtPage());
        assertEquals("pong", get("/api/ping").body());
        HttpResponse<String> unknownApi = get("/api/nothing-here");
        assertEquals(404, unknownApi.statusCode());
        assertFalse(unknownApi.body().contains("<title>studio</title>"));
        assertEquals(404, get("/media/video_proxies/x.webm").statusCode());
    }

    @Test
    void explainsAPageThatIsNotBuilt() throws Exception {
        start(dir.resolve("no-such-dist"));
        HttpResponse<String> res = get("/");
        assertEquals(404, res.statusCode());
        assertTrue(res.body().contains("The studio page is not built"));
        assertTrue(res.body().contains("npm run build"));
        assertTrue(res.body().contains("no-such-dist"));
    }
}
