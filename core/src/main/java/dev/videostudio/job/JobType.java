package dev.videostudio.job;

/**
 * The kinds of background work; serialised as {@code asset_waveform}, {@code video_proxy} and
 * {@code edit_proxy}.
 */
public enum JobType {
    ASSET_WAVEFORM(true), VIDEO_PROXY(true), EDIT_PROXY(false);

    private final boolean awaited;

    JobType(boolean awaited) {
        this.awaited = awaited;
    }

    /**
     * True when a client is usually waiting for the result (a waveform, a preview): the local
     * scheduler starts such jobs before queued preparation work (edit proxies made at upload).
     */
    public boolean awaited() {
        return awaited;
    }
}
