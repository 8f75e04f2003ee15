package dev.videostudio.job;

import dev.videostudio.ErrorInfo;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one background job. Payloads are small string maps (ids, hashes), never
 * objects, so a distributed job engine can carry them as they are.
 *
 * @param key identifies the work (asset or timeline and the content hash it is for); a second
 *            submit with the same key while this job is queued or processing joins it
 */
public record Job(
        String jobId,
        JobType type,
        String key,
        JobStatus status,
        double progress,
        ErrorInfo error,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> payload) {

    public Job {
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }

    /** The payload key naming the tenant that owns the job's asset or timeline. */
    public static final String TENANT = "tenant";

    /** The tenant that owns the work ({@link dev.videostudio.VideoStudio#DEFAULT_TENANT} for older records). */
    public String tenant() {
        return payload.getOrDefault(TENANT, dev.videostudio.VideoStudio.DEFAULT_TENANT);
    }
}
