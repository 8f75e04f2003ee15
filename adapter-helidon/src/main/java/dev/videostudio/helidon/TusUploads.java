package dev.videostudio.helidon;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resumable uploads in progress, on disk under {@code media/uploads/}: {@code {id}.bin} holds
 * the bytes received, {@code {id}.json} the upload's record. The record is the truth: its offset
 * counts only bytes forced to disk before it was written (crash-safely), so after a crash or a
 * dropped connection the upload resumes from there and any bytes past it in the {@code .bin} are
 * overwritten. Nothing is kept in memory but a lock per upload, so a restart loses nothing.
 */
final class TusUploads {

    private static final Logger LOG = LoggerFactory.getLogger(TusUploads.class);
    /** Expired records stay this long as tombstones so a late client hears 410 rather than 404. */
    private static final Duration TOMBSTONE = Duration.ofDays(7);
    /** Sweeping for abandoned uploads at most this often (it lists a folder). */
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

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
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.EPOCH;

    TusUploads(Path folder, Duration expiry) {
        this.folder = folder;
        this.expiry = expiry;
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

    /** Forgets the lock of a finished upload (its record stays for GET and HEAD). */
    void forgetLock(String id) {
        locks.remove(id);
    }

    /** Drops the data of an expired upload and keeps its record as a tombstone. */
    Upload expire(Upload u) {
        MediaRoot.deleteQuietly(data(u.uploadId()));
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

    /** Expires abandoned uploads and forgets old tombstones, at most once a minute. */
    void sweepNowAndThen() {
        Instant now = Instant.now();
        if (now.isBefore(lastSweep.plus(SWEEP_EVERY))) {
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
                            delete(id);
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
