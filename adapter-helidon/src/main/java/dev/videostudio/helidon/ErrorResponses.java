package dev.videostudio.helidon;

import dev.videostudio.ErrorCode;
import dev.videostudio.ErrorInfo;
import dev.videostudio.StudioException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps failures to the contract's error body {@code {"error": {code, message, details}}}, in one place. */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    /** Seconds a client should wait before retrying when the job queue is full. */
    static final String RETRY_AFTER_SECONDS = "5";

    private ErrorResponses() {
    }

    static void studioError(ServerRequest req, ServerResponse res, StudioException e) {
        int status = e.problem().httpStatus();
        if (status == 429 || status == 503) {
            res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        if (status >= 500) {
            LOG.warn("{} {} failed: {}", req.prologue().method(), req.path().path(), e.getMessage(), e);
        }
        send(res, status, e.toErrorInfo());
    }

    /** Helidon's own failures (no route, bad request line...) keep their status and get the contract's body. */
    static void httpError(ServerRequest req, ServerResponse res, HttpException e) {
        int status = e.status().code();
        String code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND.value();
            case 405 -> "method_not_allowed";
            case 413 -> ErrorCode.TOO_LARGE.value();
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        if (status >= 500) {
            LOG.warn("{} {} failed: {}", req.prologue().method(), req.path().path(), e.getMessage(), e);
        }
        send(res, status, ErrorInfo.of(code, e.getMessage()));
    }

    static void unexpected(ServerRequest req, ServerResponse res, Exception e) {
        LOG.error("{} {} failed unexpectedly", req.prologue().method(), req.path().path(), e);
        send(res, 500, ErrorInfo.of("internal_error", "the server failed to answer: " + e.getClass().getSimpleName()));
    }

    static void send(ServerResponse res, int status, ErrorInfo error) {
        if (res.isSent()) {
            return;
        }
        Json.send(res, Status.create(status), Map.of("error", error));
    }
}
