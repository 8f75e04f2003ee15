package dev.videostudio.proxy;

/**
 * What one proxy render did.
 *
 * @param segments         segments the timeline was cut into
 * @param segmentsRendered segments rendered by this call (the others came from the segment cache)
 * @param audioRendered    false when the sound mix came from the cache
 * @param durationSeconds  length of the rendered proxy
 * @param elapsedSeconds   wall-clock time the render took
 */
public record RenderReport(int segments, int segmentsRendered, boolean audioRendered,
                           double durationSeconds, double elapsedSeconds) {
}
