package dev.videostudio.waveform;

/**
 * A ready waveform answer, encoded once and kept: the bytes, the same bytes gzip-compressed, and
 * a strong entity tag naming exactly these bytes.
 *
 * @param body        the answer
 * @param gzip        {@code body} compressed with gzip
 * @param etag        quoted entity tag: the start of the SHA-256 of {@code body}
 * @param format      how {@code body} is encoded
 */
public record WaveformAnswer(byte[] body, byte[] gzip, String etag, WaveformFormat format) {
}
