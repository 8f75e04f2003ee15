package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudioServerTest {

    /** The README promises environment variables named after the keys: the real main must honour them. */
    @Test
    void environmentVariablesOverrideTheConfiguration(@TempDir Path root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StudioServer.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("STUDIO_MEDIA_ROOT", root.toString());
        pb.environment().put("SERVER_PORT", "0");
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("STUDIO_UPLOAD_LIMIT", "5000");
        pb.environment().put("STUDIO_WEB_ROOT", root.resolve("no-page").toString());
        Process server = pb.start();
        try {
            int port = awaitPort(server);
            assertNotEquals(8080, port, "SERVER_PORT=0 was ignored");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode checks = TestServer.json(health).get("checks");
            assertTrue(health.body().contains(root.toString()), "STUDIO_MEDIA_ROOT was ignored: " + health.body());
            assertEquals(2, checks.size());
            assertTrue(Files.isDirectory(root.resolve("video_assets")));

            HttpResponse<String> upload = client.send(TestServer.multipart(URI.create("http://127.0.0.1:" + port
                    + AssetHttpService.PATH), TestServer.shared("t-rex-roar.mp3"), "file", "roar.mp3"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, upload.statusCode(), "STUDIO_UPLOAD_LIMIT was ignored: " + upload.body());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The port a server process started with port 0 says it listens on; its output is drained after. */
    static int awaitPort(Process server) throws Exception {
        Pattern running = Pattern.compile("running at http://localhost:(\\d+)/");
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = running.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server stopped before listening:\n" + seen);
    }

    @Test
    void healthIs503WhenTheMediaRootIsNotWritable(@TempDir Path root) throws Exception {
        try (TestServer server = TestServer.start(root)) {
            assertEquals(200, server.get("/health").statusCode());
            Path tmp = server.studio().mediaRoot().temp();
            Files.delete(tmp);
            Files.writeString(tmp, "a file where the folder should be");
            HttpResponse<String> r = server.get("/health");
            assertEquals(503, r.statusCode(), r.body());
            JsonNode h = TestServer.json(r);
            assertEquals("DOWN", h.get("status").asText());
            for (JsonNode check : h.get("checks")) {
                String expected = check.get("name").asText().equals("media_root") ? "DOWN" : "UP";
                assertEquals(expected, check.get("status").asText(), check.toString());
            }
        }
    }

    /** Each expected start-up failure: exit code 1 and one line naming the cause and the fix, no stack trace. */
    @Test
    void startupFailuresAreOneClearLine(@TempDir Path root) throws Exception {
        String portTaken;
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            portTaken = failedStart(root, Map.of("SERVER_PORT", String.valueOf(taken.getLocalPort())));
        }
        assertTrue(portTaken.contains("port is already in use") && portTaken.contains("SERVER_PORT"), portTaken);

        String ffmpeg = failedStart(root, Map.of("STUDIO_FFMPEG_PATH", root.resolve("no-ffmpeg").toString()));
        assertTrue(ffmpeg.contains("ffmpeg is required") && ffmpeg.contains("apt-get install ffmpeg"), ffmpeg);

        Path file = Files.writeString(root.resolve("a-file"), "not a folder");
        String mediaRoot = failedStart(root, Map.of("STUDIO_MEDIA_ROOT", file.resolve("media").toString()));
        assertTrue(mediaRoot.contains("media root must be a writable folder") && mediaRoot.contains("STUDIO_MEDIA_ROOT"),
                mediaRoot);

        String badValue = failedStart(root, Map.of("STUDIO_UPLOAD_LIMIT", "lots"));
        assertTrue(badValue.contains("configuration value is wrong") && badValue.contains("studio.upload.limit")
                && badValue.contains("'lots'"), badValue);

        String negative = failedStart(root, Map.of("STUDIO_JOBS_CONCURRENCY", "0"));
        assertTrue(negative.contains("studio.jobs.concurrency must be a positive number"), negative);
    }

    /** Runs the real main with {@code env} and returns the line it printed on failure. */
    private static String failedStart(Path root, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StudioServer.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("STUDIO_MEDIA_ROOT", root.resolve("media").toString());
        pb.environment().put("SERVER_PORT", "0");
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().put("STUDIO_WEB_ROOT", root.resolve("no-page").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running with " + env + ":\n" + out);
        }
        assertEquals(1, p.exitValue(), env + ":\n" + out);
        assertFalse(out.contains("\tat "), "a stack trace for " + env + ":\n" + out);
        List<String> lines = out.lines().filter(l -> l.startsWith("studio: ")).toList();
        assertEquals(1, lines.size(), env + ":\n" + out);
        return lines.get(0);
    }
}
