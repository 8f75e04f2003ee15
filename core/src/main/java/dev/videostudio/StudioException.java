package dev.videostudio;

import java.util.List;

/**
 * A failure a caller can act on. The {@link Problem} tells an adapter how to answer (an HTTP
 * status, an exit code); the code and details are what the client reads.
 */
public class StudioException extends RuntimeException {

    /** What kind of failure, with the HTTP status that fits it. */
    public enum Problem {
        MALFORMED(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413),
        UNSUPPORTED_MEDIA(415), INVALID(422), BUSY(429), UNAVAILABLE(503), INTERNAL(500), INSUFFICIENT_STORAGE(507);

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

    /** The disk holding the media root is (nearly) full: {@code 507 insufficient_storage}. */
    public static StudioException insufficientStorage(String message) {
        return new StudioException(Problem.INSUFFICIENT_STORAGE, "insufficient_storage", message);
    }

    /**
     * True when {@code failure} (or a cause of it) says the disk is full or a quota is used up:
     * the JDK reports ENOSPC and EDQUOT only through the message text.
     */
    public static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * What an I/O failure while writing {@code what} becomes: {@code insufficient_storage} when the
     * disk is full, else an unchecked error whose message names no server path.
     */
    public static RuntimeException writeFailure(String what, java.io.IOException e) {
        if (isNoSpace(e)) {
            return new StudioException(Problem.INSUFFICIENT_STORAGE, "insufficient_storage",
                    "the server's disk is full: cannot store " + what, List.of(), e);
        }
        return new java.io.UncheckedIOException("cannot write " + what, e);
    }

    public static StudioException malformed(String message) {
        return new StudioException(Problem.MALFORMED, ErrorCode.MALFORMED_REQUEST, message);
    }
}
