package dev.videostudio.timeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.videostudio.ErrorInfo;

/**
 * The proxy preview state saved with a timeline.
 *
 * @param status   none, processing, ready, failed or stale
 * @param url      where the proxy is served when ready or stale: always null from the core, filled
 *                 in by the adapter that serves the file (from {@code version})
 * @param revision the timeline revision the proxy (or the running render) is for
 * @param progress 0..1 while processing
 * @param error    why the last render failed, when failed
 * @param version  which render of the timeline's proxy file is meant (a short content key) when
 *                 ready, kept when stale so a client can still show the earlier edit; stored, not
 *                 part of the JSON a client sees
 */
public record ProxyPreview(PreviewStatus status, String url, Long revision, Double progress, ErrorInfo error,
                           @JsonIgnore String version) {

    public ProxyPreview {
        status = status == null ? PreviewStatus.NONE : status;
    }

    /** No proxy has been asked for. */
    public static ProxyPreview none() {
        return new ProxyPreview(PreviewStatus.NONE, null, null, null, null, null);
    }

    /** A render for {@code revision} is running. */
    public static ProxyPreview processing(long revision, double progress) {
        return new ProxyPreview(PreviewStatus.PROCESSING, null, revision, progress, null, null);
    }

    /** The proxy of {@code revision} is ready, as render {@code version}. */
    public static ProxyPreview ready(long revision, String version) {
        return new ProxyPreview(PreviewStatus.READY, null, revision, 1.0, null, version);
    }

    /** The render for {@code revision} failed. */
    public static ProxyPreview failed(long revision, ErrorInfo error) {
        return new ProxyPreview(PreviewStatus.FAILED, null, revision, null, error, null);
    }

    /** The same proxy, marked as showing an earlier edit. */
    public ProxyPreview stale() {
        return new ProxyPreview(PreviewStatus.STALE, url, revision, progress, error, version);
    }

    /** This state with the URL the adapter serves its proxy at. */
    public ProxyPreview withUrl(String newUrl) {
        return new ProxyPreview(status, newUrl, revision, progress, error, version);
    }

    /** This state with another version (used when reading it back from storage). */
    public ProxyPreview withVersion(String newVersion) {
        return new ProxyPreview(status, url, revision, progress, error, newVersion);
    }
}
