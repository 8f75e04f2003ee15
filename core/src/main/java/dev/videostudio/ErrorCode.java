package dev.videostudio;

import java.util.Locale;

/**
 * The error codes clients act on and that more than one place raises or checks. The JSON value
 * ({@link #value()}) is the lower-case name, for example {@code revision_conflict}; codes only one
 * place raises stay plain strings there.
 */
public enum ErrorCode {
    /** 404: no such asset, timeline, job or file (also another tenant's). */
    NOT_FOUND,
    /** 400: an id that is not 1-64 letters, digits, '-' or '_'. */
    INVALID_ID,
    /** 400: a body that is not what the endpoint reads. */
    MALFORMED_REQUEST,
    /** 400: a multipart upload without its part named {@code file}. */
    MISSING_FILE,
    /** 413: over a size limit. */
    TOO_LARGE,
    /** 422: a timeline that is not valid, one detail per problem. */
    INVALID_TIMELINE,
    /** 422: a waveform asked of media without sound. */
    NO_AUDIO,
    /** 404: a waveform not computed yet. */
    NOT_READY,
    /** 409: a job stopped because it was cancelled or made pointless. */
    CANCELLED,
    /** 409: an asset a saved timeline uses cannot be deleted. */
    ASSET_IN_USE,
    /** 409: a timeline save based on an older revision than the stored one. */
    REVISION_CONFLICT,
    /** 409: a poster or preview of a proxy that is not ready. */
    PROXY_NOT_READY,
    /** 429: the job queue is full. */
    QUEUE_FULL,
    /** 503: the job scheduler is stopping. */
    SHUTTING_DOWN,
    /** 503: another live process runs this media root's jobs. */
    JOBS_IN_USE,
    /** 503: ffmpeg or ffprobe cannot be found or started. */
    FFMPEG_MISSING,
    /** 500: the waveform decode failed. */
    WAVEFORM_FAILED,
    /** 500: a proxy render failed. */
    RENDER_FAILED;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** The code as clients see it in {@code error.code}. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
