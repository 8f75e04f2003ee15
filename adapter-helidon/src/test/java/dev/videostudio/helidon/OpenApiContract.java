package dev.videostudio.helidon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a real response against {@code META-INF/openapi.yaml}: the route and method are
 * described, the status is one the operation lists, the content type is one it declares, and a
 * JSON body is valid against the declared schema (JSON Schema 2020-12, the dialect of OpenAPI
 * 3.1). {@link TestServer} runs every response of the HTTP tests through it, so the document
 * cannot drift from the server.
 */
final class OpenApiContract {

    static final JsonNode DOCUMENT = load();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();
    private static final List<Route> ROUTES = routes();
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Route(String template, Pattern pattern, int parameters) {
    }

    private OpenApiContract() {
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (Iterator<String> it = DOCUMENT.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            int params = 0;
            StringBuilder regex = new StringBuilder();
            for (String part : t.split("(?=\\{)|(?<=})")) {
                if (part.startsWith("{")) {
                    regex.append("[^/]+");
                    params++;
                } else {
                    regex.append(Pattern.quote(part));
                }
            }
            out.add(new Route(t, Pattern.compile(regex.toString()), params));
        }
        // literal segments win over parameters (.../timeline/otio before .../timeline/{timeline_id})
        out.sort((a, b) -> Integer.compare(a.parameters(), b.parameters()));
        return out;
    }

    /** Throws an {@link AssertionError} naming the mismatch. */
    static void check(HttpRequest request, HttpResponse<?> response) {
        // decoded, as routing reads it (an encoded "/api/media/%76ideo-assets" is that route)
        String path = request.uri().getPath();
        String method = request.method().toLowerCase(Locale.ROOT);
        if (method.equals("options") && request.headers().firstValue("Access-Control-Request-Method").isPresent()) {
            return; // a CORS preflight: Helidon's CORS feature answers it for every path
        }
        int status = response.statusCode();
        Route route = ROUTES.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst().orElse(null);
        String where = request.method() + " " + path + " -> " + status;
        if (route == null) {
            if (isApi(path) && status != 404 && status != 405) {
                throw new AssertionError("OpenAPI: no path describes " + where);
            }
            return; // the studio page and its files, or an unknown path answered 404
        }
        JsonNode operation = DOCUMENT.get("paths").get(route.template()).get(method);
        if (operation == null) {
            if (status == 404 || status == 405) {
                return;
            }
            throw new AssertionError("OpenAPI: " + route.template() + " has no " + method + " operation, but " + where);
        }
        JsonNode answer = operation.path("responses").get(String.valueOf(status));
        if (answer == null) {
            answer = operation.path("responses").get("default");
        }
        if (answer == null) {
            throw new AssertionError("OpenAPI: status " + status + " is not described for " + method + " " + route.template()
                    + " (" + where + ", body " + preview(response.body()) + ")");
        }
        String answerPointer = "/paths/" + escape(route.template()) + "/" + method + "/responses/" + status;
        if (answer.has("$ref")) {
            answerPointer = answer.get("$ref").asText().substring(1);
            answer = DOCUMENT.at(answerPointer);
        }
        checkContent(where, answer, answerPointer, request.method(), response);
    }

    private static void checkContent(String where, JsonNode answer, String pointer, String method,
                                     HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip().toLowerCase(Locale.ROOT);
        JsonNode content = answer.get("content");
        boolean hasBody = response.body() instanceof String s ? !s.isEmpty()
                : response.body() instanceof byte[] b ? b.length > 0 : !type.isEmpty();
        if (content == null) {
            if (hasBody && !method.equals("HEAD")) {
                throw new AssertionError("OpenAPI: " + where + " has a " + type + " body but the document describes none");
            }
            return;
        }
        if (method.equals("HEAD") || !hasBody) {
            return;
        }
        String declared = null;
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String mt = it.next();
            if (mt.equals(type) || mt.equals("*/*")) {
                declared = mt;
                break;
            }
        }
        if (declared == null) {
            throw new AssertionError("OpenAPI: " + where + " answered " + type + " but the document declares " + content.properties());
        }
        if (declared.equals("application/json") && response.body() instanceof String body) {
            validate(where, pointer + "/content/application~1json/schema", body);
        }
    }

    private static void validate(String where, String schemaPointer, String body) {
        JsonSchema schema = COMPILED.computeIfAbsent(schemaPointer, p -> {
            ObjectNode root = DOCUMENT.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#" + p);
            return SCHEMAS.getSchema(root);
        });
        JsonNode value;
        try {
            value = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("OpenAPI: " + where + " declared JSON but sent " + preview(body) + " (" + e.getMessage() + ")");
        }
        Set<ValidationMessage> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError("OpenAPI: " + where + " does not match " + schemaPointer + ": " + errors
                    + "\nbody: " + preview(body));
        }
    }

    private static boolean isApi(String path) {
        return path.startsWith("/api/") || path.equals("/health") || path.equals("/metrics") || path.equals("/openapi");
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    private static String preview(Object body) {
        String s = String.valueOf(body instanceof byte[] b ? "(" + b.length + " bytes)" : body);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
