package dev.videostudio.timeline;

/** Video tracks show pictures (and play their clips' audio); audio tracks only sound. */
public enum TrackKind {
    VIDEO, AUDIO
}
