package dev.videostudio.helidon;

import dev.videostudio.asset.Asset;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.ProxyPreview;
import dev.videostudio.timeline.Timeline;

/**
 * Signs the media {@code url}s the API returns when auth is on (a {@code <video>} or {@code <img>}
 * cannot send a token); without auth they stay as they are. Every response that carries a media
 * URL passes its values through here, with the tenant that owns the file.
 */
final class MediaLinks {

    private final UrlSigner signer;
    private final boolean sign;

    MediaLinks(UrlSigner signer, boolean sign) {
        this.signer = signer;
        this.sign = sign;
    }

    /** {@code url} signed for {@code tenant}, or as it is (null stays null, and so do non-media URLs). */
    String media(String url, String tenant) {
        if (!sign || url == null || !url.startsWith(MediaFileService.PATH + "/")) {
            return url;
        }
        return signer.sign(url, tenant);
    }

    Asset asset(Asset a) {
        return a.withUrl(media(a.url(), a.tenant()));
    }

    Timeline timeline(Timeline t) {
        ProxyPreview p = t.proxyPreview();
        if (p == null || p.url() == null) {
            return t;
        }
        return t.withProxyPreview(new ProxyPreview(p.status(), media(p.url(), t.tenant()), p.revision(), p.progress(), p.error()));
    }

    ProxyState proxy(ProxyState s, String tenant) {
        if (s.url() == null) {
            return s;
        }
        return new ProxyState(s.status(), media(s.url(), tenant), s.cached(), s.jobId(), s.progress(), s.error());
    }
}
