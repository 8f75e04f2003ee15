package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import io.helidon.config.ConfigException;
import java.io.UncheckedIOException;
import java.net.BindException;

/** Turns what stopped the server from starting into one line: the cause and the fix. */
final class StartupFailure {

    private StartupFailure() {
    }

    static String explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StudioException s && "ffmpeg_missing".equals(s.code())) {
                return s.getMessage();
            }
            if (t instanceof BindException) {
                return "the HTTP port is already in use (" + t.getMessage() + "): stop the program using it "
                        + "or choose another port with SERVER_PORT=NNNN";
            }
            if (t instanceof IllegalStateException && t.getMessage() != null
                    && t.getMessage().startsWith("cannot connect to the database")) {
                return t.getMessage() + ": start PostgreSQL or fix studio.database.url / user / password "
                        + "(STUDIO_DATABASE_URL, STUDIO_DATABASE_USER, STUDIO_DATABASE_PASSWORD)";
            }
            if (t instanceof ConfigException) {
                return "a configuration value is wrong: " + t.getMessage()
                        + ": fix it in application.yaml or in its environment variable (see the README's table)";
            }
            if (t instanceof IllegalArgumentException) {
                return "a configuration value is wrong: " + t.getMessage()
                        + ": fix it in application.yaml or in its environment variable (see the README's table)";
            }
        }
        if (e instanceof UncheckedIOException u && u.getMessage() != null && u.getMessage().startsWith("cannot prepare media folder")) {
            return u.getMessage() + " (" + u.getCause() + "): the media root must be a writable folder; "
                    + "fix its permissions or set STUDIO_MEDIA_ROOT to another folder";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }
}
