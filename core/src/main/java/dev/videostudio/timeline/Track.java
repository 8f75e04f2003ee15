package dev.videostudio.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One track of clips that never overlap each other.
 *
 * @param id    unique in its timeline (generated when a saved timeline had none)
 * @param kind  video (picture, plus the sound of its clips) or audio (sound only)
 * @param clips in any order; the list order does not change the result
 * @param muted its sound is not heard (its pictures still show)
 * @param solo  when any track is solo, only the sound of solo tracks is heard
 */
public record Track(String id, TrackKind kind, List<Clip> clips,
                    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean muted,
                    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean solo) {

    public Track {
        clips = clips == null ? List.of() : List.copyOf(clips);
    }

    /** A track heard normally. */
    public Track(String id, TrackKind kind, List<Clip> clips) {
        this(id, kind, clips, false, false);
    }

    /** Whether its sound is heard, given whether some track of its timeline is solo. */
    public boolean heard(boolean anySolo) {
        return !muted && (!anySolo || solo);
    }
}
