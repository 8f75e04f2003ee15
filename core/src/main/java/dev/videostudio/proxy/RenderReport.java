package dev.videostudio.proxy;

/**
 * What one proxy render did.
 *
 * @param segments            video segments the timeline was cut into
 * @param segmentsRendered    segments rendered by this call (the others came from the cache)
 * @param soundChunks         sound chunks the timeline was cut into
 * @param soundChunksRendered sound chunks encoded by this call (the others came from the cache)
 * @param durationSeconds     length of the rendered proxy
 * @param elapsedSeconds      wall-clock time the render took
 */
public record RenderReport(int segments, int segmentsRendered, int soundChunks, int soundChunksRendered,
                           double durationSeconds, double elapsedSeconds) {
}
