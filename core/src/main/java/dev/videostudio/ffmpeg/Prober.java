package dev.videostudio.ffmpeg;

import dev.videostudio.ErrorCode;
import com.github.kokorin.jaffree.JaffreeException;
import com.github.kokorin.jaffree.LogLevel;
import com.github.kokorin.jaffree.Rational;
import com.github.kokorin.jaffree.StreamType;
import com.github.kokorin.jaffree.ffprobe.FFprobe;
import com.github.kokorin.jaffree.ffprobe.FFprobeResult;
import com.github.kokorin.jaffree.ffprobe.Format;
import com.github.kokorin.jaffree.ffprobe.SideData;
import com.github.kokorin.jaffree.ffprobe.Stream;
import com.github.kokorin.jaffree.log.LogMessage;
import com.github.kokorin.jaffree.process.JaffreeAbnormalExitException;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Runs ffprobe with the security restrictions and turns its answer into {@link MediaInfo}. */
final class Prober {

    /** Demuxers that read one still picture. */
    private static final Set<String> IMAGE_DEMUXERS = Set.of("png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe");
    /** Codecs a browser plays from a WebM file: such Matroska files are stored as {@code .webm}. */
    private static final Set<String> WEBM_CODECS = Set.of("vp8", "vp9", "av1", "opus", "vorbis");

    private final Path ffprobe;
    private final Duration timeLimit;

    Prober(Path ffprobe, Duration timeLimit) {
        this.ffprobe = ffprobe;
        this.timeLimit = timeLimit;
    }

    /** The exact command line: restrictions come before {@code -i} so they apply to the input. */
    FFprobe command(Path file) {
        return FFprobe.atPath(ffprobe.getParent())
                .addArguments("-protocol_whitelist", FFmpegTools.PROTOCOLS)
                .addArguments("-format_whitelist", String.join(",", FFmpegTools.DEMUXERS))
                .setShowFormat(true)
                .setShowStreams(true)
                .setLogLevel(LogLevel.ERROR)
                .setInput(file.toAbsolutePath().toString());
    }

    MediaInfo probe(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (size == 0) {
            throw unsupported("the file is empty");
        }
        FFprobeResult result = run(file);
        Format format = result.getFormat();
        String demuxer = format == null ? null : format.getFormatName();
        if (demuxer == null || !FFmpegTools.isAllowedDemuxer(demuxer)) {
            throw unsupported("the format '" + demuxer + "' is not accepted");
        }
        String first = FFmpegTools.firstName(demuxer);
        if (first.equals("mov") && IsoBoxes.isTruncated(file)) {
            throw unsupported("the MP4/MOV file is truncated: its boxes run past the end of the file");
        }
        List<Stream> streams = result.getStreams() == null ? List.of() : result.getStreams();
        Stream video = streams.stream().filter(Prober::isRealVideo).findFirst().orElse(null);
        Stream audio = streams.stream().filter(s -> s.getCodecType() == StreamType.AUDIO).findFirst().orElse(null);
        boolean image = video != null && IMAGE_DEMUXERS.contains(first);
        if (video == null && audio == null) {
            throw unsupported("the file holds no audio or video stream");
        }
        String kind = image ? "image" : video != null ? "video" : "audio";

        Integer width = null;
        Integer height = null;
        Double fps = null;
        int rotation = 0;
        if (video != null) {
            rotation = rotation(video);
            width = video.getWidth();
            height = video.getHeight();
            if (Math.abs(rotation) % 180 == 90) {
                Integer w = width;
                width = height;
                height = w;
            }
            if (!image) {
                fps = frameRate(video);
            }
        }
        Double duration = image ? null : duration(format, video, audio);
        if (!image && duration == null) {
            throw unsupported("the media has no duration ffprobe can read");
        }
        String ext = extension(first, video != null, streams);
        String contentType = MediaTypes.forExtension(ext);
        if (video == null && contentType.startsWith("video/")) {
            contentType = "audio/" + contentType.substring("video/".length());
        }
        return new MediaInfo(kind, demuxer, ext, contentType, duration, audio != null, video != null && !image,
                width, height, fps, rotation,
                video == null ? null : video.getCodecName(), audio == null ? null : audio.getCodecName(),
                audio == null ? null : audio.getSampleRate(), audio == null ? null : audio.getChannels());
    }

    private FFprobeResult run(Path file) {
        Future<FFprobeResult> future = command(file).executeAsync();
        try {
            return future.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unsupported("ffprobe could not read the file within " + timeLimit.toSeconds() + " s");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StudioException(Problem.CONFLICT, ErrorCode.CANCELLED, "the probe was interrupted");
        } catch (ExecutionException e) {
            throw unsupported(explain(e.getCause()));
        } catch (JaffreeException e) {
            throw unsupported(explain(e));
        }
    }

    /** A short reason from ffprobe's own error lines. */
    static String explain(Throwable failure) {
        List<LogMessage> messages = failure instanceof JaffreeAbnormalExitException abnormal
                ? abnormal.getProcessErrorLogMessages() : List.of();
        String said = messages == null ? "" : messages.stream()
                .map(m -> m.message == null ? "" : m.message.strip())
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining("; "));
        if (said.contains("not on whitelist")) {
            return "playlists, concat lists, SDP and other files that make FFmpeg open something else are not accepted ("
                    + said + ")";
        }
        return "not a media file FFmpeg can read" + (said.isEmpty() ? "" : ": " + said);
    }

    static StudioException unsupported(String message) {
        return new StudioException(Problem.UNSUPPORTED_MEDIA, "unsupported_media", message);
    }

    /** Video that is really a moving picture: MP3/MP4 cover art and thumbnails are not. */
    static boolean isRealVideo(Stream s) {
        if (s.getCodecType() != StreamType.VIDEO) {
            return false;
        }
        var d = s.getDisposition();
        return d == null || (!Boolean.TRUE.equals(d.getAttachedPic()) && !Boolean.TRUE.equals(d.getTimedThumbnails()));
    }

    /** The display rotation from side data (the display matrix) or the older {@code rotate} tag. */
    static int rotation(Stream video) {
        if (video.getSideDataList() != null) {
            for (SideData sd : video.getSideDataList()) {
                Integer r = sd.getRotation();
                if (r != null) {
                    return r;
                }
            }
        }
        String tag = video.getTag("rotate");
        if (tag != null) {
            try {
                return (int) Math.round(Double.parseDouble(tag.strip()));
            } catch (NumberFormatException ignored) {
                // a malformed tag means no rotation
            }
        }
        return 0;
    }

    /** The average frame rate (right for variable frame rate), falling back to the base rate. */
    static Double frameRate(Stream video) {
        Double fps = rate(video.getAvgFrameRate());
        if (fps == null) {
            fps = rate(video.getRFrameRate());
        }
        return fps == null ? null : Math.round(fps * 1000) / 1000.0;
    }

    private static Double rate(Rational r) {
        if (r == null || r.getDenominator() == 0 || r.getNumerator() <= 0) {
            return null;
        }
        double v = r.doubleValue();
        // ffprobe reports 90000/1 or similar time bases for streams without a real rate
        return v > 0 && v < 1000 ? v : null;
    }

    private static Double duration(Format format, Stream video, Stream audio) {
        Double d = positive(format.getProbeData().getDouble("duration"));
        if (d == null && audio != null) {
            d = positive(audio.getProbeData().getDouble("duration"));
        }
        if (d == null && video != null) {
            d = positive(video.getProbeData().getDouble("duration"));
        }
        return d;
    }

    private static Double positive(Double d) {
        return d != null && d > 0 && !d.isInfinite() && !d.isNaN() ? d : null;
    }

    /** An extension chosen from the content, never from the client's file name. */
    static String extension(String demuxer, boolean hasVideo, List<Stream> streams) {
        return switch (demuxer) {
            case "mov" -> hasVideo ? "mp4" : "m4a";
            case "matroska" -> streams.stream().allMatch(s -> s.getCodecType() != StreamType.VIDEO
                    && s.getCodecType() != StreamType.AUDIO
                    || WEBM_CODECS.contains(String.valueOf(s.getCodecName()).toLowerCase(Locale.ROOT)))
                    ? "webm" : hasVideo ? "mkv" : "mka";
            case "ogg" -> hasVideo ? "ogv" : "ogg";
            case "mpegts" -> "ts";
            case "mpeg" -> "mpg";
            case "mpegvideo" -> "m2v";
            case "truehd" -> "thd";
            case "png_pipe" -> "png";
            case "jpeg_pipe" -> "jpg";
            case "webp_pipe" -> "webp";
            case "bmp_pipe" -> "bmp";
            case "tiff_pipe" -> "tiff";
            default -> demuxer;
        };
    }
}
