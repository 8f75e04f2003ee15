package dev.videostudio.timeline;

/** The states of a timeline's proxy preview. */
public enum PreviewStatus {
    NONE, PROCESSING, READY, FAILED, STALE
}
