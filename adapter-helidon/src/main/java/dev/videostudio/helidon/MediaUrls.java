package dev.videostudio.helidon;

import dev.videostudio.asset.Asset;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.ProxyPreview;
import dev.videostudio.timeline.Timeline;

/**
 * The one place that turns stored media into URLs: the core records say which file (an asset's
 * stored name, a proxy's render version), this class says where {@link MediaFileService} serves
 * it. Anything that adds to URLs (signing, a CDN host) belongs here and nowhere else.
 */
final class MediaUrls {

    static final String ASSETS = "/media/video_assets/";
    static final String PROXIES = "/media/video_proxies/";

    private MediaUrls() {
    }

    /** {@code /media/video_assets/{stored name}}. */
    static String asset(Asset asset) {
        return ASSETS + asset.storedName();
    }

    /** {@code /media/video_proxies/{timeline_id}.webm?v={version}}: the version busts browser caches. */
    static String proxy(String timelineId, String version) {
        return PROXIES + timelineId + ".webm?v=" + version;
    }

    /** The asset with its URL. */
    static Asset view(Asset asset) {
        return asset.withUrl(asset(asset));
    }

    /** The timeline with the URL of its ready or stale proxy. */
    static Timeline view(Timeline timeline) {
        ProxyPreview p = timeline.proxyPreview();
        if (p == null || p.version() == null) {
            return timeline;
        }
        return timeline.withProxyPreview(p.withUrl(proxy(timeline.timelineId(), p.version())));
    }

    /** A proxy state with the URL of the proxy it names. */
    static ProxyState view(String timelineId, ProxyState state) {
        ProxyState out = state.version() == null ? state : state.withUrl(proxy(timelineId, state.version()));
        return state.stream() == null ? out : out.withStreamUrl(PROXIES + state.stream());
    }
}
