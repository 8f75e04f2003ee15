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

    /** Signs URLs when auth is on; null leaves them as they are. */
    private final UrlSigner signer;

    /** @param signer signs every media URL handed out (auth on), or null (auth off) */
    MediaUrls(UrlSigner signer) {
        this.signer = signer;
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

    /**
     * {@code url} signed for {@code tenant} when auth is on: a {@code <video>} or {@code <img>}
     * cannot send a token, so the URL carries its own short-lived proof (see {@link UrlSigner}).
     */
    String sign(String url, String tenant) {
        return signer == null || url == null ? url : signer.sign(url, tenant);
    }

    /** The asset with its URL, signed for its tenant. */
    Asset signed(Asset asset) {
        Asset a = view(asset);
        return a.withUrl(sign(a.url(), a.tenant()));
    }

    /** The timeline with its proxy's URL, signed for its tenant. */
    Timeline signed(Timeline timeline) {
        Timeline t = view(timeline);
        ProxyPreview p = t.proxyPreview();
        return p == null || p.url() == null ? t : t.withProxyPreview(p.withUrl(sign(p.url(), t.tenant())));
    }

    /** A proxy state with its URL and live stream URL, signed for the timeline's tenant. */
    ProxyState proxy(String timelineId, ProxyState state, String tenant) {
        ProxyState s = view(timelineId, state);
        s = s.url() == null ? s : s.withUrl(sign(s.url(), tenant));
        return s.streamUrl() == null ? s : s.withStreamUrl(sign(s.streamUrl(), tenant));
    }

    /** True when URLs are signed (auth on). */
    boolean signs() {
        return signer != null;
    }

    /**
     * An HLS playlist of {@code folderUrl} (for example {@code /media/video_proxies/}) with every
     * file it names signed for {@code tenant}: a player fetches segments by the names in the
     * playlist and cannot add a signature of its own.
     */
    String signPlaylist(String playlist, String folderUrl, String tenant) {
        if (signer == null) {
            return playlist;
        }
        StringBuilder out = new StringBuilder(playlist.length() * 2);
        for (String line : playlist.split("\n", -1)) {
            if (!line.isBlank() && !line.startsWith("#") && !line.contains("/")) {
                line = sign(folderUrl + line.strip(), tenant);
            } else if (line.startsWith("#EXT-X-MAP:URI=\"")) {
                int end = line.indexOf('"', 16);
                String uri = line.substring(16, end);
                if (!uri.contains("/")) {
                    line = "#EXT-X-MAP:URI=\"" + sign(folderUrl + uri, tenant) + line.substring(end);
                }
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
