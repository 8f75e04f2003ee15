package dev.videostudio.timeline;

import java.util.List;

/**
 * One track of clips that never overlap each other.
 *
 * @param id    unique in its timeline (generated when a saved timeline had none)
 * @param kind  video (picture, plus the sound of its clips) or audio (sound only)
 * @param clips in any order; the list order does not change the result
 */
public record Track(String id, TrackKind kind, List<Clip> clips) {

    public Track {
        clips = clips == null ? List.of() : List.copyOf(clips);
    }
}
