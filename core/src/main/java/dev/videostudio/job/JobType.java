package dev.videostudio.job;

/** The kinds of background work; serialised as {@code asset_waveform} and {@code video_proxy}. */
public enum JobType {
    ASSET_WAVEFORM, VIDEO_PROXY, EDIT_PROXY
}
