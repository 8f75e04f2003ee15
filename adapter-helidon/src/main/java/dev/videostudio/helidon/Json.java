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

    /** The largest JSON body of a small request (a proxy request, for example). */
    static final long MAX_BODY = 64 * 1024;

    /** Reads a small body as a JSON tree; see {@link #read(ServerRequest, long)}. */
    static JsonNode read(ServerRequest req) {
        return read(req, MAX_BODY);
    }

    /**
     * Reads the body as a JSON tree; an empty body is an empty object; bad JSON is a 400; more than
     * {@code limit} bytes is a 413, counted while reading so a chunked body without a length is
     * bounded too.
     */
    static JsonNode read(ServerRequest req, long limit) {
        var length = req.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > limit) {
            throw tooLarge(limit);
        }
        // Not closed when too large: closing would read the rest of the refused body to its end.
        InputStream in = req.content().inputStream();
        try {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            in.close();
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

    private static StudioException tooLarge(long limit) {
        return new StudioException(StudioException.Problem.TOO_LARGE, dev.videostudio.ErrorCode.TOO_LARGE,
                "this body is limited to " + limit + " bytes");
    }
}
