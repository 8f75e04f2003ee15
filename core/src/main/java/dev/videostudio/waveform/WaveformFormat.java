package dev.videostudio.waveform;

/** How a waveform answer is encoded. */
public enum WaveformFormat {
    /** {@code {"asset_id", "status": "ready", "waveform": {...}}} with the audiowaveform JSON v2 inside. */
    JSON,
    /** The audiowaveform binary {@code .dat}, version 2, as it is. */
    DAT,
    /**
     * The {@code .dat} followed by the band energies: {@code length} values of low, then of mid,
     * then of high, each of {@code bits} (little-endian at 16), zeros when the waveform has none.
     */
    DAT_BANDS
}
