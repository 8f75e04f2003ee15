package dev.videostudio.proxy;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * @param url      always null from the core: the adapter that serves the proxy file fills it in
 *                 (from {@code version}) for {@code ready} and {@code stale}
 * @param cached   true when a request was answered from the proxy cache without a job
 * @param version  which render of the timeline's proxy file {@code url} is to name; not in the JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyState(PreviewStatus status, String url, Boolean cached, String jobId, Double progress,
                         ErrorInfo error, @JsonIgnore String version) {

    static ProxyState ready(String version, boolean cached) {
        return new ProxyState(PreviewStatus.READY, null, cached ? Boolean.TRUE : null, null, null, null, version);
    }

    static ProxyState processing(String jobId, double progress) {
        return new ProxyState(PreviewStatus.PROCESSING, null, null, jobId, progress, null, null);
    }

    static ProxyState failed(ErrorInfo error) {
        return new ProxyState(PreviewStatus.FAILED, null, null, null, null, error, null);
    }

    static ProxyState stale(String version) {
        return new ProxyState(PreviewStatus.STALE, null, null, null, null, null, version);
    }

    static ProxyState none() {
        return new ProxyState(PreviewStatus.NONE, null, null, null, null, null, null);
    }

    /** This state with the URL the adapter serves its proxy at. */
    public ProxyState withUrl(String newUrl) {
        return new ProxyState(status, newUrl, cached, jobId, progress, error, version);
    }
}
