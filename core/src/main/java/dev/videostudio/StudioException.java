package dev.videostudio;

import java.util.List;

/**
 * A failure a caller can act on. The {@link Problem} tells an adapter how to answer (an HTTP
 * status, an exit code); the code and details are what the client reads.
 */
public class StudioException extends RuntimeException {

    /** What kind of failure, with the HTTP status that fits it. */
    public enum Problem {
        MALFORMED(400), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413), UNSUPPORTED_MEDIA(415),
        INVALID(422), BUSY(429), UNAVAILABLE(503), INTERNAL(500);

        private final int httpStatus;

        Problem(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Problem problem;
    private final String code;
    private final List<ErrorDetail> details;

    public StudioException(Problem problem, String code, String message) {
        this(problem, code, message, List.of(), null);
    }

    public StudioException(Problem problem, String code, String message, List<ErrorDetail> details) {
        this(problem, code, message, details, null);
    }

    public StudioException(Problem problem, String code, String message, List<ErrorDetail> details, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public StudioException(Problem problem, ErrorCode code, String message) {
        this(problem, code.value(), message, List.of(), null);
    }

    public StudioException(Problem problem, ErrorCode code, String message, List<ErrorDetail> details) {
        this(problem, code.value(), message, details, null);
    }

    public StudioException(Problem problem, ErrorCode code, String message, List<ErrorDetail> details, Throwable cause) {
        this(problem, code.value(), message, details, cause);
    }

    /** True when this failure has that code. */
    public boolean is(ErrorCode errorCode) {
        return errorCode.value().equals(code);
    }

    public Problem problem() {
        return problem;
    }

    public String code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    public ErrorInfo toErrorInfo() {
        return new ErrorInfo(code, getMessage(), details);
    }

    public static StudioException notFound(String what, String id) {
        return new StudioException(Problem.NOT_FOUND, ErrorCode.NOT_FOUND, what + " '" + id + "' does not exist");
    }

    public static StudioException malformed(String message) {
        return new StudioException(Problem.MALFORMED, ErrorCode.MALFORMED_REQUEST, message);
    }
}
