package dev.videostudio.timeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A piece of an asset placed on a track.
 *
 * @param id        unique in its timeline (generated when a saved timeline had none)
 * @param assetId   the uploaded asset it shows or plays
 * @param start     where it begins on the timeline, seconds
 * @param sourceIn  first second used from the source (JSON {@code in})
 * @param sourceOut second where the source use ends (JSON {@code out}); for an image, in and out
 *                  only give the shown duration
 * @param volume    gain from 0 to 2, 1 when absent
 * @param muted     true to drop this clip's sound
 * @param fadeIn    seconds over which its sound rises from silence at its start, none when null
 * @param fadeOut   seconds over which its sound falls to silence at its end, none when null
 */
public record Clip(
        String id,
        String assetId,
        double start,
        @JsonProperty("in") double sourceIn,
        @JsonProperty("out") double sourceOut,
        Double volume,
        boolean muted,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double fadeIn,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double fadeOut) {

    /** A clip without fades. */
    public Clip(String id, String assetId, double start, double sourceIn, double sourceOut, Double volume, boolean muted) {
        this(id, assetId, start, sourceIn, sourceOut, volume, muted, null, null);
    }

    /** Fade-in seconds, 0 when none. */
    public double fadeInSeconds() {
        return fadeIn == null ? 0 : fadeIn;
    }

    /** Fade-out seconds, 0 when none. */
    public double fadeOutSeconds() {
        return fadeOut == null ? 0 : fadeOut;
    }

    /** Seconds this clip lasts on the timeline. */
    public double duration() {
        return sourceOut - sourceIn;
    }

    /** Where it ends on the timeline, seconds. */
    public double end() {
        return start + duration();
    }

    /** The gain to apply: 0 when muted, else the volume (1 when absent). */
    public double gain() {
        return muted ? 0 : (volume == null ? 1.0 : volume);
    }
}
