package dev.videostudio.timeline;

import dev.videostudio.ErrorInfo;

/**
 * The proxy preview state saved with a timeline.
 *
 * @param status   none, processing, ready, failed or stale
 * @param url      where the proxy is served when ready (may carry {@code ?v=} to bust caches);
 *                 kept when stale so a client can still show the earlier edit
 * @param revision the timeline revision the proxy (or the running render) is for
 * @param progress 0..1 while processing
 * @param error    why the last render failed, when failed
 */
public record ProxyPreview(PreviewStatus status, String url, Long revision, Double progress, ErrorInfo error) {

    public ProxyPreview {
        status = status == null ? PreviewStatus.NONE : status;
    }

    /** No proxy has been asked for. */
    public static ProxyPreview none() {
        return new ProxyPreview(PreviewStatus.NONE, null, null, null, null);
    }

    /** A render for {@code revision} is running. */
    public static ProxyPreview processing(long revision, double progress) {
        return new ProxyPreview(PreviewStatus.PROCESSING, null, revision, progress, null);
    }

    /** The proxy of {@code revision} is served at {@code url}. */
    public static ProxyPreview ready(long revision, String url) {
        return new ProxyPreview(PreviewStatus.READY, url, revision, 1.0, null);
    }

    /** The render for {@code revision} failed. */
    public static ProxyPreview failed(long revision, ErrorInfo error) {
        return new ProxyPreview(PreviewStatus.FAILED, null, revision, null, error);
    }

    /** The same proxy, marked as showing an earlier edit. */
    public ProxyPreview stale() {
        return new ProxyPreview(PreviewStatus.STALE, url, revision, progress, error);
    }
}
