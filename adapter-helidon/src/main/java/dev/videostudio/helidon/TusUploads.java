package dev.videostudio.helidon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioJson;
import dev.videostudio.internal.FileLocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resumable uploads in progress, on disk under {@code media/uploads/}: {@code {id}.bin} holds
 * the bytes received, {@code {id}.json} the upload's record. The record is the truth: its offset
 * counts only bytes forced to disk before it was written (crash-safely), so after a crash or a
 * dropped connection the upload resumes from there and any bytes past it in the {@code .bin} are
 * overwritten. Nothing is kept in memory but a lock per upload, so a restart loses nothing.
 *
 * <p>A request writing an upload holds two locks: the in-memory one of this process (one request
 * at a time) and an OS lock on the {@code .bin} ({@link FileLocks}), so that no process sharing
 * the media root (a second server) expires an upload while it is being written.
 */
final class TusUploads {

    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
    /** Expired records stay this long as tombstones so a late client hears 410 rather than 404. */
    private static final Duration TOMBSTONE = Duration.ofDays(7);

    /**
     * One upload's record.
     *
     * @param length   the announced size in bytes
     * @param offset   bytes durably received
     * @param metadata the client's {@code Upload-Metadata} as it was sent (for {@code HEAD})
     * @param expires  when an upload with no progress is dropped
     * @param assetId  the asset it became, once complete
     * @param expired  true for the tombstone of an expired upload
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Upload(String uploadId, String tenant, String filename, long length, long offset, String metadata,
                  Instant createdAt, Instant expires, String assetId, boolean expired) {

        Upload withOffset(long newOffset, Instant newExpires) {
            return new Upload(uploadId, tenant, filename, length, newOffset, metadata, createdAt, newExpires, assetId, expired);
        }

        Upload withAsset(String id) {
            return new Upload(uploadId, tenant, filename, length, offset, metadata, createdAt, expires, id, expired);
        }

        Upload asExpired() {
            return new Upload(uploadId, tenant, filename, length, offset, metadata, createdAt, expires, assetId, true);
        }

        boolean complete() {
            return offset == length;
        }
    }

    private final Path folder;
    private final Duration expiry;
    private final Duration sweepEvery;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.EPOCH;
    private ScheduledExecutorService sweeper;

    /**
     * @param expiry     how long an upload is kept without progress
     * @param sweepEvery how often abandoned uploads are looked for in the background (and at most
     *                   on creation)
     */
    TusUploads(Path folder, Duration expiry, Duration sweepEvery) {
        this.folder = folder;
        this.expiry = expiry;
        this.sweepEvery = sweepEvery;
    }

    /** Starts the background sweep: abandoned uploads lose their bytes even when no one comes back. */
    synchronized void startSweeping() {
        if (sweeper != null) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("tus-sweep").factory());
        long every = Math.max(1, sweepEvery.toMillis());
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweepNowAndThen();
            } catch (RuntimeException e) {
                LOG.warn("sweep of {} failed: {}", folder, e.toString()); // the next one tries again
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void stopSweeping() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    Duration expiry() {
        return expiry;
    }

    Upload create(String tenant, String filename, long length, String metadata) {
        sweepNowAndThen();
        Instant now = Instant.now();
        Upload u = new Upload(MediaRoot.newId("u"), tenant, filename, length, 0, metadata, now, now.plus(expiry),
                null, false);
        try {
            Files.createDirectories(folder);
            Files.createFile(data(u.uploadId()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create upload " + u.uploadId(), e);
        }
        save(u);
        return u;
    }

    /** The record of a well-formed id; empty when unknown. */
    Optional<Upload> find(String id) {
        Path record = record(id);
        if (!MediaRoot.isValidId(id) || !Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            return Optional.of(StudioJson.mapper().readValue(record.toFile(), Upload.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read upload record " + record, e);
        }
    }

    void save(Upload u) {
        try {
            MediaRoot.writeAtomically(record(u.uploadId()), StudioJson.mapper().writeValueAsBytes(u));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records {@code offset} as durable; the caller has forced the bytes to disk. */
    Upload advance(Upload u, long offset) {
        Upload next = u.withOffset(offset, Instant.now().plus(expiry));
        save(next);
        return next;
    }

    Path data(String id) {
        return folder.resolve(id + ".bin");
    }

    private Path record(String id) {
        return folder.resolve(id + ".json");
    }

    /** Removes an upload's data and record. */
    void delete(String id) {
        MediaRoot.deleteQuietly(data(id));
        MediaRoot.deleteQuietly(record(id));
        locks.remove(id);
    }

    /**
     * Removes an upload (termination) unless another process is writing its file; the caller
     * holds the in-memory lock.
     *
     * @return false when another live process holds the file
     */
    boolean terminate(String id) {
        Path bin = data(id);
        if (!FileLocks.deleteIfUnused(bin) && Files.exists(bin)) {
            return false;
        }
        delete(id);
        return true;
    }

    /** Forgets the lock of a finished upload (its record stays for GET and HEAD). */
    void forgetLock(String id) {
        locks.remove(id);
    }

    /**
     * Drops the data of an expired upload and keeps its record as a tombstone; the caller holds
     * the upload's in-memory lock. Leaves the upload as it is when another process holds its
     * {@code .bin} (it is writing it: its next record renews the expiry).
     */
    Upload expire(Upload u) {
        Path bin = data(u.uploadId());
        if (!FileLocks.deleteIfUnused(bin) && Files.exists(bin)) {
            LOG.info("upload {} is past its expiry but another process is writing it: kept", u.uploadId());
            return u;
        }
        Upload dead = u.asExpired();
        save(dead);
        locks.remove(u.uploadId());
        LOG.info("upload {} expired at {} with {} of {} bytes", u.uploadId(), u.expires(), u.offset(), u.length());
        return dead;
    }

    /** The lock serialising the writes to one upload, or null when another request holds it. */
    ReentrantLock tryLock(String id) {
        ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
        return lock.tryLock() ? lock : null;
    }

    /** Expires abandoned uploads and forgets old tombstones, at most once per {@code sweepEvery}. */
    void sweepNowAndThen() {
        Instant now = Instant.now();
        if (now.isBefore(lastSweep.plus(sweepEvery).minusMillis(50))) {
            return;
        }
        lastSweep = now;
        sweep(now);
    }

    void sweep(Instant now) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - ".json".length());
                try {
                    find(id).ifPresent(u -> {
                        if ((u.expired() || u.assetId() != null) && now.isAfter(u.expires().plus(TOMBSTONE))) {
                            delete(id); // no bytes left to write: a tombstone or a finished upload
                        } else if (!u.expired() && u.assetId() == null && now.isAfter(u.expires())) {
                            ReentrantLock lock = tryLock(id);
                            if (lock != null) {
                                try {
                                    expire(u);
                                } finally {
                                    lock.unlock();
                                }
                            }
                        }
                    });
                } catch (UncheckedIOException e) {
                    LOG.warn("upload record {} unreadable: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep {}: {}", folder, e.getMessage());
        }
    }
}
