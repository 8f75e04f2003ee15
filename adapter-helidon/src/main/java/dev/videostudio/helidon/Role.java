package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import java.util.Locale;

/** What a caller may do, each role including the ones before it. */
enum Role {
    /** Reads its tenant's assets, waveforms, timelines, proxies and jobs. */
    VIEWER,
    /** Also uploads, saves, renders and deletes its tenant's things. */
    EDITOR,
    /** Also sees and changes every tenant's things, and reads the metrics. */
    ADMIN;

    boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** {@code viewer}, {@code editor} or {@code admin}, any case; anything else is a 401 (the credential is unusable). */
    static Role parse(String name) {
        if (name != null) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(name.strip())) {
                    return r;
                }
            }
        }
        throw new StudioException(Problem.UNAUTHORIZED, "invalid_token", "the credential carries no known role");
    }

    String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
