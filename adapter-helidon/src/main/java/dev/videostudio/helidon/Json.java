package dev.videostudio.helidon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** JSON in and out of handlers, with the project's one mapping. */
final class Json {

    private Json() {
    }

    static void send(ServerResponse res, Status status, Object body) {
        try {
            byte[] bytes = StudioJson.mapper().writeValueAsBytes(body);
            res.status(status)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store")
                    .send(bytes);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void ok(ServerResponse res, Object body) {
        send(res, Status.OK_200, body);
    }

    /** Reads the body as a JSON tree; an empty body is an empty object; bad JSON is a 400. */
    static JsonNode read(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return StudioJson.mapper().createObjectNode();
            }
            return StudioJson.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw StudioException.malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
