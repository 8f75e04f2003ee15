package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.job.Job;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-tenant limits: stored bytes (413 {@code storage_quota_exceeded}), jobs queued or running at
 * once (429 {@code job_quota_exceeded}) and uploads started per minute (429
 * {@code upload_rate_exceeded}), both 429s with {@code Retry-After}. Counted in this process: in a
 * deployment of several API servers each enforces its own share.
 */
final class Quotas {

    private final AccessConfig.Quota quota;
    private final VideoStudio studio;
    private final Clock clock;
    private final Map<String, Deque<Long>> uploads = new HashMap<>();
    private final Map<String, Set<String>> jobs = new HashMap<>();

    Quotas(AccessConfig.Quota quota, VideoStudio studio, Clock clock) {
        this.quota = quota;
        this.studio = studio;
        this.clock = clock;
    }

    /** Before an upload of {@code length} bytes (or -1 when unknown): the rate, then the stored bytes. */
    void beforeUpload(String tenant, long length) {
        if (quota.uploadsPerMinute() > 0) {
            long now = clock.millis();
            synchronized (uploads) {
                Deque<Long> times = uploads.computeIfAbsent(tenant, t -> new ArrayDeque<>());
                while (!times.isEmpty() && times.peekFirst() <= now - 60_000) {
                    times.pollFirst();
                }
                if (times.size() >= quota.uploadsPerMinute()) {
                    long wait = Math.max(1, (times.peekFirst() + 60_000 - now + 999) / 1000);
                    throw new Refusal(Problem.BUSY, "upload_rate_exceeded", "this tenant may start "
                            + quota.uploadsPerMinute() + " uploads per minute", wait);
                }
                times.addLast(now);
            }
        }
        if (quota.storedBytes() > 0 && stored(tenant) + Math.max(0, length) > quota.storedBytes()) {
            throw storageQuota();
        }
    }

    /** After an upload: when it took the tenant past its quota, it is removed again and refused. */
    void afterUpload(Asset asset) {
        if (quota.storedBytes() > 0 && stored(asset.tenant()) > quota.storedBytes()) {
            studio.deleteAsset(asset.assetId());
            throw storageQuota();
        }
    }

    private StudioException storageQuota() {
        return new StudioException(Problem.TOO_LARGE, "storage_quota_exceeded",
                "this tenant's uploads would take more than its quota of " + quota.storedBytes() + " bytes: delete some first");
    }

    private long stored(String tenant) {
        return studio.assets().list(tenant).stream().mapToLong(Asset::sizeBytes).sum();
    }

    /** Before a request that may start a job for {@code tenant}. */
    void beforeJob(String tenant) {
        if (quota.concurrentJobs() <= 0) {
            return;
        }
        synchronized (jobs) {
            Set<String> active = jobs.computeIfAbsent(tenant, t -> new HashSet<>());
            active.removeIf(id -> studio.jobs().find(id).map(j -> j.status().isFinal()).orElse(true));
            if (active.size() >= quota.concurrentJobs()) {
                throw new Refusal(Problem.BUSY, "job_quota_exceeded", "this tenant already has "
                        + active.size() + " jobs queued or running (its limit)", 5);
            }
        }
    }

    /** Counts a job a request started (or joined) against its tenant. */
    void started(String jobId) {
        if (quota.concurrentJobs() <= 0 || jobId == null) {
            return;
        }
        studio.jobs().find(jobId).filter(j -> !j.status().isFinal()).map(Job::tenant).ifPresent(tenant -> {
            synchronized (jobs) {
                jobs.computeIfAbsent(tenant, t -> new HashSet<>()).add(jobId);
            }
        });
    }

    /** A refusal with its own {@code Retry-After} seconds. */
    static final class Refusal extends StudioException {
        final long retryAfterSeconds;

        Refusal(Problem problem, String code, String message, long retryAfterSeconds) {
            super(problem, code, message);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
