package dev.videostudio.ffmpeg;

import java.util.Locale;
import java.util.Map;

/** File extensions and MIME types of the media the studio stores and serves. */
public final class MediaTypes {

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4a", "audio/mp4"), Map.entry("mov", "video/quicktime"),
            Map.entry("webm", "video/webm"), Map.entry("mkv", "video/x-matroska"), Map.entry("mka", "audio/x-matroska"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("flac", "audio/flac"), Map.entry("wav", "audio/wav"),
            Map.entry("w64", "audio/x-w64"), Map.entry("ogg", "audio/ogg"), Map.entry("ogv", "video/ogg"),
            Map.entry("aac", "audio/aac"), Map.entry("aiff", "audio/aiff"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("flv", "video/x-flv"), Map.entry("ts", "video/mp2t"), Map.entry("mpg", "video/mpeg"),
            Map.entry("asf", "video/x-ms-asf"), Map.entry("caf", "audio/x-caf"), Map.entry("amr", "audio/amr"),
            Map.entry("ac3", "audio/ac3"), Map.entry("eac3", "audio/eac3"), Map.entry("dts", "audio/vnd.dts"),
            Map.entry("thd", "audio/vnd.dolby.mlp"), Map.entry("m2v", "video/mpeg"), Map.entry("h264", "video/h264"),
            Map.entry("hevc", "video/h265"), Map.entry("ivf", "video/x-ivf"), Map.entry("gif", "image/gif"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("webp", "image/webp"),
            Map.entry("bmp", "image/bmp"), Map.entry("tiff", "image/tiff"), Map.entry("json", "application/json"),
            Map.entry("dat", "application/octet-stream"),
            // the live stream of a running proxy render
            Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("m4s", "video/iso.segment"));

    private MediaTypes() {
    }

    /** The MIME type for a file name's extension, {@code application/octet-stream} when unknown. */
    public static String forFileName(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(ext, "application/octet-stream");
    }

    /** The MIME type of an extension this class knows, else {@code application/octet-stream}. */
    public static String forExtension(String extension) {
        return BY_EXTENSION.getOrDefault(extension.toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
