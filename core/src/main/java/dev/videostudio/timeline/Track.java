package dev.videostudio.timeline;

import java.util.List;

/** One track of clips that never overlap each other. */
public record Track(String id, TrackKind kind, List<Clip> clips) {

    public Track {
        clips = clips == null ? List.of() : List.copyOf(clips);
    }
}
