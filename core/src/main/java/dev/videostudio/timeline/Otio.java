package dev.videostudio.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.StudioException;
import java.util.List;

/** OpenTimelineIO import and export (being built: see issue 4). */
public final class Otio {

    private Otio() {
    }

    /** An imported timeline (not saved yet) and the parts of the file it could not represent. */
    public record Imported(Timeline timeline, List<ErrorDetail> warnings) {
    }

    public static Imported importTimeline(JsonNode otio, AssetLookup assets) {
        throw new StudioException(StudioException.Problem.UNAVAILABLE, "not_implemented", "OpenTimelineIO import is not built yet");
    }

    public static JsonNode exportTimeline(Timeline timeline, AssetLookup assets) {
        throw new StudioException(StudioException.Problem.UNAVAILABLE, "not_implemented", "OpenTimelineIO export is not built yet");
    }
}
