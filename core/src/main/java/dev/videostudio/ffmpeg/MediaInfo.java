package dev.videostudio.ffmpeg;

/**
 * What ffprobe found in a media file, with the display facts already applied (rotation swaps
 * width and height; cover art is not video).
 *
 * @param kind       {@code video} when a real video stream exists, {@code image} for a single still
 *                   picture, {@code audio} otherwise
 * @param demuxer    FFmpeg's demuxer name(s) as reported (for example {@code mov,mp4,m4a,3gp,3g2,mj2});
 *                   pin it with {@link FFmpegTools#input(java.nio.file.Path, String)}
 * @param extension  file extension that fits the content ({@code mp4}, {@code webm}, {@code mp3}...)
 * @param contentType MIME type that fits the content
 * @param durationS  seconds, or {@code null} for still images
 * @param width      displayed width (after rotation), or {@code null} without video
 * @param height     displayed height (after rotation), or {@code null} without video
 * @param fps        average frame rate (variable frame rate files give their average), or {@code null}
 * @param rotation   degrees the player turns the picture, 0 when none
 * @param sampleRate of the first audio stream, or {@code null}
 * @param channels   of the first audio stream, or {@code null}
 */
public record MediaInfo(
        String kind,
        String demuxer,
        String extension,
        String contentType,
        Double durationS,
        boolean hasAudio,
        boolean hasVideo,
        Integer width,
        Integer height,
        Double fps,
        int rotation,
        String videoCodec,
        String audioCodec,
        Integer sampleRate,
        Integer channels) {
}
