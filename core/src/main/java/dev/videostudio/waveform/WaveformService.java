package dev.videostudio.waveform;

/**
 * Audio waveforms of assets, computed in the background and stored as BBC audiowaveform JSON
 * (version 2) under {@code media/waveforms/}. (Being built: see issue 3.)
 */
public interface WaveformService {

    /** The {@code waveformStatus} of an asset: idle, processing, ready, failed or unavailable. */
    String status(String assetId);
}
