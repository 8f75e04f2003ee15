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
 * @param streamUrl while {@code processing}: the HLS playlist of the render so far (EVENT, fMP4),
 *                 present once it lists a segment; it ends with {@code EXT-X-ENDLIST} when the render
 *                 does. Null from the core, like {@code url}: the adapter fills it in from {@code stream}
 * @param streamStart the timeline second at which the stream's time 0 is (0, or where a seek asked)
 * @param version  which render of the timeline's proxy file {@code url} is to name; not in the JSON
 * @param stream   the playlist's file name in {@code video_proxies/}; not in the JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyState(PreviewStatus status, String url, Boolean cached, String jobId, Double progress,
                         ErrorInfo error, String streamUrl, Double streamStart, @JsonIgnore String version,
                         @JsonIgnore String stream) {

    ProxyState(PreviewStatus status, String url, Boolean cached, String jobId, Double progress,
               ErrorInfo error, String version) {
        this(status, url, cached, jobId, progress, error, null, null, version, null);
    }

    /** This state with the live stream that plays from {@code start}. */
    ProxyState withStream(LiveStream.Start start) {
        return start == null ? this : new ProxyState(status, url, cached, jobId, progress, error, null,
                start.seconds(), version, start.playlist());
    }

    /** This state with the URL the adapter serves its live stream's playlist at. */
    public ProxyState withStreamUrl(String newUrl) {
        return new ProxyState(status, url, cached, jobId, progress, error, newUrl, streamStart, version, stream);
    }

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
        return new ProxyState(status, newUrl, cached, jobId, progress, error, streamUrl, streamStart, version, stream);
    }
}
