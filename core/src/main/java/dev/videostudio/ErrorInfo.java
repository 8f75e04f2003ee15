package dev.videostudio;

import java.util.List;

/**
 * The error object of the HTTP contract: {@code {"code", "message", "details"}}. Also stored on
 * failed jobs so a client sees the same shape everywhere.
 */
public record ErrorInfo(String code, String message, List<ErrorDetail> details) {

    public ErrorInfo {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ErrorInfo of(String code, String message) {
        return new ErrorInfo(code, message, List.of());
    }
}
