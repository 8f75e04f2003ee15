package dev.videostudio.asset;

/**
 * Where an asset's waveform stands, as {@code waveformStatus} shows it (lower case in JSON):
 * not asked for yet, being computed, ready, failed, or impossible (no sound).
 */
public enum WaveformStatus {
    IDLE, PROCESSING, READY, FAILED, UNAVAILABLE
}
