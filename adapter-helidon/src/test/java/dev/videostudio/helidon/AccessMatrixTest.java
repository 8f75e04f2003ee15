package dev.videostudio.helidon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import io.helidon.http.Method;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The access matrix, generated from {@link RouteTable#ROUTES}: every route times {no token,
 * malformed, expired JWT, wrong signature, another tenant, viewer, editor, admin} against the real
 * server in JWT mode, each cell checked against the status the table implies. A route added to the
 * table without a sample request here fails this test; a route added without a table row is
 * refused by the filter, so its own tests fail.
 */
class AccessMatrixTest {

    enum Case { NO_TOKEN, MALFORMED, EXPIRED_JWT, WRONG_SIGNATURE, OTHER_TENANT, VIEWER, EDITOR, ADMIN }

    /** A request for one row, with the statuses that mean "allowed and worked". */
    record Sample(Supplier<String> path, String body, Set<Integer> ok, Map<String, String> headers) {
        Sample(Supplier<String> path, String body, Set<Integer> ok) {
            this(path, body, ok, Map.of());
        }
    }

    static TestJwt idp;
    static TestServer server;
    static Path media;
    static String asset;
    static String timeline;
    static String job;
    static String signedMedia;

    @BeforeAll
    static void start() throws Exception {
        idp = TestJwt.start();
        media = Files.createTempDirectory("access-matrix");
        Map<String, String> settings = new LinkedHashMap<>(idp.settings());
        server = TestServer.start(VideoStudio.builder().config(StudioConfig.defaults().withMediaRoot(media)).build(), settings);
        asset = upload(token(Case.EDITOR));
        timeline = saveTimeline(token(Case.EDITOR));
        HttpResponse<String> render = send("POST", TimelineHttpService.PATH + "/" + timeline + "/proxy", "{}", token(Case.EDITOR));
        assertEquals(202, render.statusCode(), render.body());
        job = TestServer.json(render).get("job_id").asText();
        JsonNode state;
        int polls = 0;
        do {
            Thread.sleep(100);
            state = TestServer.json(send("GET", TimelineHttpService.PATH + "/" + timeline + "/proxy", null, token(Case.EDITOR)));
        } while ("processing".equals(state.get("status").asText()) && polls++ < 1200);
        assertEquals("ready", state.get("status").asText(), state.toString());
        signedMedia = TestServer.json(send("GET", AssetHttpService.PATH + "/" + asset, null, token(Case.VIEWER))).get("url").asText();
        assertTrue(signedMedia.contains("sig="), signedMedia);
    }

    @AfterAll
    static void stop() {
        server.close();
        idp.close();
    }

    static String token(Case c) {
        return switch (c) {
            case NO_TOKEN -> null;
            case MALFORMED -> "Bearer not-a-jwt";
            case EXPIRED_JWT -> "Bearer " + idp.expired("ta", "admin", 3600);
            case WRONG_SIGNATURE -> "Bearer " + idp.wrongSignature("ta", "admin");
            case OTHER_TENANT -> "Bearer " + idp.token("tb", "editor");
            case VIEWER -> "Bearer " + idp.token("ta", "viewer");
            case EDITOR -> "Bearer " + idp.token("ta", "editor");
            case ADMIN -> "Bearer " + idp.token("tx", "admin");
        };
    }

    static Role role(Case c) {
        return switch (c) {
            case VIEWER -> Role.VIEWER;
            case OTHER_TENANT, EDITOR -> Role.EDITOR;
            case ADMIN -> Role.ADMIN;
            default -> null;
        };
    }

    static HttpResponse<String> send(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization, Map.of());
    }

    static HttpResponse<String> send(String method, String path, String body, String authorization,
                                     Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::setHeader);
        return server.send(b.build());
    }

    /** A new resumable upload of 10 bytes by the editor of tenant "ta": its id. */
    static String tusUpload() {
        HttpResponse<String> r = send("POST", TusHttpService.PATH, null, token(Case.EDITOR),
                Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "10"));
        assertEquals(201, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static String upload(String authorization) {
        HttpRequest r = TestServer.multipart(server.uri(AssetHttpService.PATH), TestServer.shared("friday.mp4"), "file", "friday.mp4");
        HttpRequest.Builder b = HttpRequest.newBuilder(r, (k, v) -> true).header("Authorization", authorization);
        HttpResponse<String> res = server.send(b.build());
        assertEquals(201, res.statusCode(), res.body());
        return TestServer.json(res).get("asset_id").asText();
    }

    static String timelineJson(String assetId) {
        return ("{'name': 'm', 'width': 640, 'height': 360, 'fps': 25, 'tracks': [{'id': 'v1', 'kind': 'video',"
                + " 'clips': [{'id': 'c1', 'asset_id': '" + assetId + "', 'start': 0, 'in': 0, 'out': 1}]}]}").replace('\'', '"');
    }

    static String saveTimeline(String authorization) {
        HttpResponse<String> r = send("POST", TimelineHttpService.PATH, timelineJson(asset), authorization);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("timeline_id").asText();
    }

    /** One sample per row; the key is the row's method and template. */
    static Map<String, Sample> samples() {
        String a = AssetHttpService.PATH;
        String t = TimelineHttpService.PATH;
        Map<String, Sample> s = new LinkedHashMap<>();
        s.put("GET /health", new Sample(() -> "/health", null, Set.of(200)));
        s.put("GET /health/*", new Sample(() -> "/health/live", null, Set.of(200, 204)));
        s.put("GET /metrics", new Sample(() -> "/metrics", null, Set.of(200)));
        s.put("GET /metrics/*", new Sample(() -> "/metrics/base", null, Set.of(200, 404)));
        s.put("POST " + a, new Sample(() -> a, "UPLOAD", Set.of(201)));
        s.put("GET " + a, new Sample(() -> a, null, Set.of(200)));
        s.put("GET " + a + "/{asset_id}", new Sample(() -> a + "/" + asset, null, Set.of(200)));
        s.put("DELETE " + a + "/{asset_id}", new Sample(() -> a + "/" + upload(token(Case.EDITOR)), null, Set.of(204)));
        s.put("GET " + a + "/{asset_id}/waveform", new Sample(() -> a + "/" + asset + "/waveform", null, Set.of(200, 202)));
        s.put("POST " + a + "/{asset_id}/waveform", new Sample(() -> a + "/" + asset + "/waveform", "{}", Set.of(200, 202)));
        s.put("GET " + a + "/{asset_id}/thumbnails", new Sample(() -> a + "/" + asset + "/thumbnails", null, Set.of(200)));
        String u = TusHttpService.PATH;
        Map<String, String> tus = Map.of("Tus-Resumable", "1.0.0");
        Map<String, String> chunk = Map.of("Tus-Resumable", "1.0.0", "Upload-Offset", "0",
                "Content-Type", "application/offset+octet-stream");
        s.put("OPTIONS " + u, new Sample(() -> u, null, Set.of(204)));
        s.put("POST " + u, new Sample(() -> u, null, Set.of(201), Map.of("Tus-Resumable", "1.0.0", "Upload-Length", "10")));
        s.put("OPTIONS " + u + "/{upload_id}", new Sample(() -> u + "/" + tusUpload(), null, Set.of(204)));
        // an upload not complete yet answers 409 upload_incomplete to its owner's GET
        s.put("GET " + u + "/{upload_id}", new Sample(() -> u + "/" + tusUpload(), null, Set.of(409), tus));
        s.put("PATCH " + u + "/{upload_id}", new Sample(() -> u + "/" + tusUpload(), "hello", Set.of(204), chunk));
        s.put("DELETE " + u + "/{upload_id}", new Sample(() -> u + "/" + tusUpload(), null, Set.of(204), tus));
        s.put("POST " + t, new Sample(() -> t, timelineJson(asset), Set.of(201)));
        s.put("GET " + t, new Sample(() -> t, null, Set.of(200)));
        s.put("POST " + t + "/otio", new Sample(() -> t + "/otio", "{\"OTIO_SCHEMA\": \"Timeline.1\", \"name\": \"o\", "
                + "\"tracks\": {\"OTIO_SCHEMA\": \"Stack.1\", \"children\": []}}", Set.of(201, 422)));
        s.put("GET " + t + "/{timeline_id}", new Sample(() -> t + "/" + timeline, null, Set.of(200)));
        s.put("DELETE " + t + "/{timeline_id}", new Sample(() -> t + "/" + saveTimeline(token(Case.EDITOR)), null, Set.of(204)));
        s.put("GET " + t + "/{timeline_id}/otio", new Sample(() -> t + "/" + timeline + "/otio", null, Set.of(200)));
        s.put("POST " + t + "/{timeline_id}/proxy", new Sample(() -> t + "/" + timeline + "/proxy", "{}", Set.of(200, 202)));
        s.put("GET " + t + "/{timeline_id}/proxy", new Sample(() -> t + "/" + timeline + "/proxy", null, Set.of(200)));
        s.put("GET " + t + "/{timeline_id}/poster", new Sample(() -> t + "/" + timeline + "/poster", null, Set.of(200)));
        s.put("GET " + t + "/{timeline_id}/preview.webp", new Sample(() -> t + "/" + timeline + "/preview.webp", null, Set.of(200)));
        s.put("GET " + JobHttpService.PATH + "/{job_id}", new Sample(() -> JobHttpService.PATH + "/" + job, null, Set.of(200)));
        // the render is over: cancelling a finished job is a 409 for whoever may cancel it
        s.put("DELETE " + JobHttpService.PATH + "/{job_id}", new Sample(() -> JobHttpService.PATH + "/" + job, null, Set.of(409)));
        s.put("GET " + t + "/{timeline_id}/preview.gif", new Sample(() -> t + "/" + timeline + "/preview.gif", null, Set.of(200)));
        s.put("GET " + JobHttpService.PATH + "/{job_id}/events", new Sample(() -> JobHttpService.PATH + "/" + job + "/events", null, Set.of(200)));
        s.put("GET " + MediaFileService.PATH + "/*", new Sample(() -> signedMedia, null, Set.of(200)));
        return s;
    }

    /** What a cell must answer: the statuses allowed, from the row's access and the case alone. */
    static Set<Integer> expected(RouteTable.Route row, Case c, Sample sample, boolean unsignedMedia) {
        switch (row.access()) {
            case PUBLIC:
                return sample.ok();
            case SIGNED_URL:
                // the signature is the credential: headers neither help nor hurt
                return unsignedMedia ? Set.of(403) : sample.ok();
            default:
                break;
        }
        Role r = role(c);
        if (r == null) {
            return Set.of(401);
        }
        if (!r.includes(row.access().role())) {
            return Set.of(403);
        }
        if (c == Case.OTHER_TENANT && row.template().contains("{")) {
            return Set.of(404); // exactly like an unknown id
        }
        if ((c == Case.OTHER_TENANT || c == Case.ADMIN) && row.template().equals(TimelineHttpService.PATH)
                && row.method().equals(Method.POST)) {
            // a new timeline belongs to its creator's tenant, where another tenant's asset is unknown
            return Set.of(422);
        }
        return sample.ok();
    }

    @Test
    void everyRouteTimesEveryCaseAnswersAsTheTableSays() throws IOException {
        Map<String, Sample> samples = samples();
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder("| route |");
        for (Case c : Case.values()) {
            table.append(' ').append(c.name().toLowerCase().replace('_', ' ')).append(" |");
        }
        table.append("\n|---|").append("---|".repeat(Case.values().length)).append('\n');
        for (RouteTable.Route row : RouteTable.ROUTES) {
            String key = row.method().text() + " " + row.template();
            Sample sample = samples.get(key);
            assertTrue(sample != null, "the route " + key + " has no sample in the access matrix: add one");
            boolean media = row.access() == RouteTable.Access.SIGNED_URL;
            for (int variant = 0; variant < (media ? 2 : 1); variant++) {
                boolean unsigned = media && variant == 1;
                table.append("| ").append(key).append(unsigned ? " (unsigned)" : "").append(" |");
                for (Case c : Case.values()) {
                    String path = sample.path().get();
                    if (unsigned) {
                        path = path.substring(0, path.indexOf('?'));
                    }
                    HttpResponse<String> r = "UPLOAD".equals(sample.body()) ? uploadAs(token(c))
                            : send(row.method().text(), path, sample.body(), token(c), sample.headers());
                    Set<Integer> want = expected(row, c, sample, unsigned);
                    boolean pass = want.contains(r.statusCode());
                    if (pass && r.statusCode() == 401) {
                        pass = r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer");
                    }
                    if (pass && c == Case.OTHER_TENANT && row.method().equals(Method.GET) && !row.template().contains("{")) {
                        pass = !r.body().contains(asset) && !r.body().contains(timeline); // lists show only the caller's
                    }
                    if (!pass) {
                        failures.add(key + (unsigned ? " (unsigned)" : "") + " x " + c + ": " + r.statusCode()
                                + " (expected " + want + ") " + r.body().substring(0, Math.min(200, r.body().length())));
                    }
                    table.append(' ').append(r.statusCode()).append(pass ? "" : " ✗").append(" |");
                }
                table.append('\n');
            }
        }
        assertEquals(RouteTable.ROUTES.size(), samples.size(), "a sample for a route no longer in the table");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "access-matrix.md"), table);
        System.out.println(table);
        assertEquals(List.of(), failures, table.toString());
    }

    static HttpResponse<String> uploadAs(String authorization) {
        HttpRequest r = TestServer.multipart(server.uri(AssetHttpService.PATH), TestServer.shared("t-rex-roar.mp3"), "file", "roar.mp3");
        HttpRequest.Builder b = HttpRequest.newBuilder(r, (k, v) -> true);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b.build());
    }

    /** Signed URL tampering against the real server: path, tenant, expiry and signature. */
    @Test
    void aTamperedSignedUrlIs403AndRangeAndEtagKeepWorking() {
        HttpResponse<String> ok = send("GET", signedMedia, null, null);
        assertEquals(200, ok.statusCode());
        String etag = ok.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> range = server.send(HttpRequest.newBuilder(server.uri(signedMedia)).header("Range", "bytes=0-9").build());
        assertEquals(206, range.statusCode());
        assertEquals(10, range.body().getBytes(StandardCharsets.ISO_8859_1).length);
        HttpResponse<String> cached = server.send(HttpRequest.newBuilder(server.uri(signedMedia)).header("If-None-Match", etag).build());
        assertEquals(304, cached.statusCode());

        String path = signedMedia.substring(0, signedMedia.indexOf('?'));
        String query = signedMedia.substring(signedMedia.indexOf('?'));
        String other = upload(token(Case.EDITOR));
        String otherPath = path.replace(asset, other);
        assertEquals(403, send("GET", otherPath + query, null, null).statusCode(), "another path");
        assertEquals(403, send("GET", signedMedia.replace("tenant=ta", "tenant=tb"), null, null).statusCode(), "another tenant");
        String exp = query.replaceAll(".*expires=(\\d+).*", "$1");
        assertEquals(403, send("GET", signedMedia.replace("expires=" + exp, "expires=" + (Long.parseLong(exp) + 1)), null, null)
                .statusCode(), "another expiry");
        assertEquals(403, send("GET", signedMedia.substring(0, signedMedia.length() - 2) + "xx", null, null).statusCode(), "signature");
        assertEquals(403, send("GET", path, null, token(Case.ADMIN)).statusCode(), "a token is no signature");

        // a URL signed by the server for tenant tb still cannot read tenant ta's file
        String tbAsset = TestServer.json(uploadAs(token(Case.OTHER_TENANT))).get("url").asText();
        assertTrue(tbAsset.contains("tenant=tb"), tbAsset);
    }

    /**
     * A ready waveform its owner has just read (so the server remembers it ready and keeps the
     * answer) is still a 404 for another tenant, and still served to an admin.
     */
    @Test
    void anotherTenantGets404ForAWaveformItsOwnerJustRead() throws Exception {
        String tile = AssetHttpService.PATH + "/" + asset + "/waveform?samples_per_pixel=1024&bits=8&format=dat&start=0&end=1";
        HttpResponse<String> r;
        int polls = 0;
        do {
            r = send("GET", tile, null, token(Case.VIEWER));
            if (r.statusCode() == 202) {
                Thread.sleep(100);
            }
        } while (r.statusCode() == 202 && polls++ < 1200);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(200, send("GET", tile, null, token(Case.VIEWER)).statusCode());
        HttpResponse<String> other = send("GET", tile, null, token(Case.OTHER_TENANT));
        assertEquals(404, other.statusCode(), other.body());
        assertTrue(other.headers().firstValue("ETag").isEmpty(), "nothing of the answer leaks to another tenant");
        assertEquals(404, send("GET", tile, null, token(Case.OTHER_TENANT), Map.of("If-None-Match", "*")).statusCode());
        assertEquals(200, send("GET", tile, null, token(Case.ADMIN)).statusCode());
    }
}
