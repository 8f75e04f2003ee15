package dev.videostudio.job;

/**
 * The kinds of background work; serialised as {@code asset_waveform}, {@code video_proxy} and
 * {@code edit_proxy}.
 */
public enum JobType {
    ASSET_WAVEFORM(true, false), VIDEO_PROXY(true, true), EDIT_PROXY(false, false);

    private final boolean awaited;
    private final boolean watched;

    JobType(boolean awaited, boolean watched) {
        this.awaited = awaited;
        this.watched = watched;
    }

    /**
     * True when a client is usually waiting for the result (a waveform, a preview): the local
     * scheduler starts such jobs before queued preparation work (edit proxies made at upload).
     */
    public boolean awaited() {
        return awaited;
    }

    /**
     * True when a user watches the job while it runs (the render's live stream): both schedulers
     * run such jobs one at a time in a slot of their own, beside the {@code jobConcurrency} slots of
     * the other types, so background work filling those never holds a render back. At most
     * {@code jobConcurrency + 1} jobs run at once per process.
     */
    public boolean watched() {
        return watched;
    }
}
