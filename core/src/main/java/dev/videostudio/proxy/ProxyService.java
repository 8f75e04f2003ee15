package dev.videostudio.proxy;

/**
 * Proxy previews of timelines: cached, rendered in the background, served from
 * {@code media/video_proxies/}. (Being built: see issue 4.)
 */
public interface ProxyService {
}
