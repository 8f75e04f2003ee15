package dev.videostudio.helidon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioJson;
import dev.videostudio.VideoStudio;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The real studio ({@link VideoStudio} over a temporary media root) behind the real server on
 * 127.0.0.1 with a free port, plus small HTTP helpers. Use one per test class:
 *
 * <pre>{@code
 * @TempDir static Path media;
 * static TestServer server;
 * @BeforeAll static void start() { server = TestServer.start(media); }
 * @AfterAll static void stop() { server.close(); }
 * ...
 * HttpResponse<String> r = server.upload(shared("flower.mp4"));
 * JsonNode asset = TestServer.json(r);
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final VideoStudio studio;
    private final WebServer server;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private TestServer(VideoStudio studio, WebServer server) {
        this.studio = studio;
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /** Starts over {@code mediaRoot} with the default settings. */
    public static TestServer start(Path mediaRoot) {
        return start(mediaRoot, c -> c);
    }

    /** Starts over {@code mediaRoot} with settings changed by {@code tweak} (for example a small upload limit). */
    public static TestServer start(Path mediaRoot, UnaryOperator<StudioConfig> tweak) {
        StudioConfig config = tweak.apply(StudioConfig.defaults().withMediaRoot(mediaRoot));
        VideoStudio studio = VideoStudio.builder().config(config).build();
        studio.recover(); // as the server's main does
        return start(studio);
    }

    /** Serves an already built studio; closing the server closes it too. */
    public static TestServer start(VideoStudio studio) {
        Config config = Config.builder()
                .addSource(ConfigSources.create(Map.of(
                        "server.port", "0",
                        "server.host", "127.0.0.1",
                        "server.max-payload-size", "-1")))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        try {
            return new TestServer(studio, StudioServer.start(studio, config));
        } catch (RuntimeException e) {
            studio.close();
            throw e;
        }
    }

    /** A file of {@code ../shared/media} (system property {@code videostudio.sharedMedia}). */
    public static Path shared(String name) {
        String dir = System.getProperty("videostudio.sharedMedia", "../../shared/media");
        Path p = Path.of(dir).resolve(name).normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared media file missing: " + p);
        }
        return p;
    }

    public VideoStudio studio() {
        return studio;
    }

    public Path mediaRoot() {
        return studio.mediaRoot().root();
    }

    public URI base() {
        return base;
    }

    /** {@code path} (starting with '/') on this server, sent as it is (no re-encoding). */
    public URI uri(String path) {
        return URI.create(base + path);
    }

    public HttpClient client() {
        return client;
    }

    /** Uploads {@code file} as the multipart part {@code file} under its own name. */
    public HttpResponse<String> upload(Path file) {
        return upload(file, file.getFileName().toString());
    }

    /** Uploads {@code file} as the multipart part {@code file}, telling the server it is called {@code filename}. */
    public HttpResponse<String> upload(Path file, String filename) {
        return send(uploadRequest(file, "file", filename));
    }

    /**
     * A POST of {@code file} to the asset endpoint as multipart part {@code partName}. The file is
     * streamed from disk, so this works for very large files.
     */
    public HttpRequest uploadRequest(Path file, String partName, String filename) {
        return multipart(uri(AssetHttpService.PATH), file, partName, filename);
    }

    /** A multipart/form-data POST of {@code file} as part {@code partName} to any address, streamed from disk. */
    public static HttpRequest multipart(URI target, Path file, String partName, String filename) {
        String boundary = "----studio" + UUID.randomUUID().toString().replace("-", "");
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + partName + "\"; filename=\""
                + filename.replace("\"", "%22") + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        try {
            return HttpRequest.newBuilder(target)
                    .timeout(Duration.ofMinutes(10))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                            HttpRequest.BodyPublishers.ofFile(file),
                            HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).DELETE().build());
    }

    /** POSTs {@code json} (a JSON text) with {@code Content-Type: application/json}. */
    public HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    /** Sends any request and reads the body as text. */
    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of {@code response} parsed with the project's JSON mapping. */
    public static JsonNode json(HttpResponse<String> response) {
        try {
            return StudioJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** Stops the server, then the studio. */
    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            studio.close();
        }
    }
}
