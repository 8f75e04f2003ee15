package dev.videostudio.timeline;

import dev.videostudio.ErrorInfo;

/**
 * The proxy preview state saved with a timeline.
 *
 * @param status   none, processing, ready, failed or stale
 * @param url      where the proxy is served when ready (may carry {@code ?v=} to bust caches)
 * @param revision the timeline revision the proxy (or the running render) is for
 * @param progress 0..1 while processing
 */
public record ProxyPreview(PreviewStatus status, String url, Long revision, Double progress, ErrorInfo error) {

    public static ProxyPreview none() {
        return new ProxyPreview(PreviewStatus.NONE, null, null, null, null);
    }
}
