package dev.videostudio;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The error object of the HTTP contract: {@code {"code", "message", "details"}}. Also stored on
 * failed jobs so a client sees the same shape everywhere.
 */
public record ErrorInfo(String code, String message, List<ErrorDetail> details) {

    /**
     * An absolute file path (not an {@code /api/} or {@code /media/} address): error messages
     * reach clients and must not show the server's folders, only the file's own name.
     */
    private static final Pattern FILE_PATH = Pattern.compile(
            "(?<![\\w.:/])/(?!api/|media/)(?:[^/\\s'\"]+/)+([^/\\s'\":;,]*)");

    public ErrorInfo {
        message = redactPaths(message);
        details = details == null ? List.of() : List.copyOf(details);
    }

    /** {@code message} with every absolute file path cut to its file name (temporary prefixes dropped). */
    public static String redactPaths(String message) {
        if (message == null || message.indexOf('/') < 0) {
            return message;
        }
        Matcher m = FILE_PATH.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).startsWith(".tmp-") ? "the uploaded file" : m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(name.isEmpty() ? "a server folder" : name));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static ErrorInfo of(String code, String message) {
        return new ErrorInfo(code, message, List.of());
    }
}
