package dev.videostudio.waveform;

import dev.videostudio.ErrorInfo;
import dev.videostudio.asset.WaveformStatus;

/**
 * Where the waveform of an asset stands.
 *
 * @param status   {@code ready}, {@code processing} or {@code failed}
 * @param jobId    the job computing it while processing
 * @param progress 0..1 while processing
 * @param error    why it failed
 */
public record WaveformState(String assetId, WaveformStatus status, String jobId, Double progress, ErrorInfo error) {
}
