package dev.videostudio.proxy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.videostudio.ErrorInfo;
import dev.videostudio.timeline.PreviewStatus;

/**
 * Where a timeline's proxy preview stands, as the proxy endpoints answer it. Absent fields are
 * left out of the JSON.
 *
 * @param status   {@code ready}: {@code url} plays this exact timeline content; {@code processing}:
 *                 {@code job_id} renders it, {@code progress} 0..1; {@code failed}: {@code error} says
 *                 why; {@code stale}: {@code url} plays an earlier edit; {@code none}: never rendered
 * @param cached   true when a request was answered from the proxy cache without a job
 * @param streamUrl while {@code processing}: the HLS playlist of the render so far (EVENT, fMP4),
 *                 present once it lists a segment; it ends with {@code EXT-X-ENDLIST} when the render does
 * @param streamStart the timeline second at which {@code streamUrl} starts (0, or where a seek asked)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyState(PreviewStatus status, String url, Boolean cached, String jobId, Double progress,
                         ErrorInfo error, String streamUrl, Double streamStart) {

    public ProxyState(PreviewStatus status, String url, Boolean cached, String jobId, Double progress,
                      ErrorInfo error) {
        this(status, url, cached, jobId, progress, error, null, null);
    }

    /** This state with the live stream that plays from {@code start}. */
    ProxyState withStream(LiveStream.Start start) {
        return start == null ? this
                : new ProxyState(status, url, cached, jobId, progress, error, start.url(), start.seconds());
    }

    static ProxyState ready(String url, boolean cached) {
        return new ProxyState(PreviewStatus.READY, url, cached ? Boolean.TRUE : null, null, null, null);
    }

    static ProxyState processing(String jobId, double progress) {
        return new ProxyState(PreviewStatus.PROCESSING, null, null, jobId, progress, null);
    }

    static ProxyState failed(ErrorInfo error) {
        return new ProxyState(PreviewStatus.FAILED, null, null, null, null, error);
    }

    static ProxyState stale(String url) {
        return new ProxyState(PreviewStatus.STALE, url, null, null, null, null);
    }

    static ProxyState none() {
        return new ProxyState(PreviewStatus.NONE, null, null, null, null, null);
    }
}
