package dev.videostudio.helidon;

import dev.videostudio.ErrorInfo;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.helidon.TusUploads.Upload;
import dev.videostudio.internal.FileLocks;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/media/uploads}: resumable uploads, tus 1.0.0 core with the creation,
 * creation-with-upload, termination, expiration and checksum extensions. A {@code PATCH} body is
 * streamed straight into the upload's file at its offset (no multipart scan) and forced to disk
 * before the offset is recorded; when the last byte is in, the file becomes an asset through the
 * same checks as a multipart upload ({@code AssetStore.ingestFile}), and {@code GET} on the
 * upload answers that asset.
 */
final class TusHttpService implements HttpService {

    static final String PATH = "/api/media/uploads";
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum";
    static final String CHECKSUMS = "sha1,md5,sha256";
    static final String OFFSET_TYPE = "application/offset+octet-stream";
    /**
     * Bytes per file write: the body arrives in 8 KiB reads, writes of 128 KiB cost fewer system
     * calls, and eight of them stay in the processor's cache between the two threads (measured:
     * 1 MiB pieces made the server spend 10 to 20 % more CPU per upload).
     */
    private static final int BUFFER = 128 * 1024;

    static final HeaderName TUS_RESUMABLE = HeaderNames.create("Tus-Resumable");
    static final HeaderName TUS_VERSION = HeaderNames.create("Tus-Version");
    static final HeaderName TUS_EXTENSION = HeaderNames.create("Tus-Extension");
    static final HeaderName TUS_MAX_SIZE = HeaderNames.create("Tus-Max-Size");
    static final HeaderName TUS_CHECKSUM_ALGORITHM = HeaderNames.create("Tus-Checksum-Algorithm");
    static final HeaderName UPLOAD_OFFSET = HeaderNames.create("Upload-Offset");
    static final HeaderName UPLOAD_LENGTH = HeaderNames.create("Upload-Length");
    static final HeaderName UPLOAD_METADATA = HeaderNames.create("Upload-Metadata");
    static final HeaderName UPLOAD_EXPIRES = HeaderNames.create("Upload-Expires");
    static final HeaderName UPLOAD_CHECKSUM = HeaderNames.create("Upload-Checksum");
    static final HeaderName UPLOAD_DEFER_LENGTH = HeaderNames.create("Upload-Defer-Length");
    static final HeaderName ASSET_ID = HeaderNames.create("Asset-Id");

    private static final Logger LOG = LoggerFactory.getLogger(TusHttpService.class);

    private final VideoStudio studio;
    private final TusUploads uploads;
    private final MediaUrls links;
    private final Quotas quotas;

    TusHttpService(VideoStudio studio, TusUploads uploads, MediaUrls links, Quotas quotas) {
        this.links = links;
        this.quotas = quotas;
        this.studio = studio;
        this.uploads = uploads;
    }

    @Override
    public void beforeStart() {
        uploads.startSweeping();
    }

    @Override
    public void afterStop() {
        uploads.stopSweeping();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.options("/", this::options)
                .post("/", this::create)
                .options("/{upload_id}", this::options)
                .head("/{upload_id}", this::head)
                .patch("/{upload_id}", this::patch)
                .delete("/{upload_id}", this::terminate)
                .get("/{upload_id}", this::asset);
    }

    private void options(ServerRequest req, ServerResponse res) {
        res.header(TUS_RESUMABLE, VERSION)
                .header(TUS_VERSION, VERSION)
                .header(TUS_EXTENSION, EXTENSIONS)
                .header(TUS_MAX_SIZE, Long.toString(maxSize()))
                .header(TUS_CHECKSUM_ALGORITHM, CHECKSUMS)
                .status(Status.NO_CONTENT_204).send();
    }

    private long maxSize() {
        return studio.config().uploadLimitBytes();
    }

    private void create(ServerRequest req, ServerResponse res) {
        if (!resumable(req, res)) {
            return;
        }
        if (req.headers().contains(UPLOAD_DEFER_LENGTH)) {
            throw StudioException.malformed("Upload-Defer-Length is not supported: send Upload-Length");
        }
        long length = number(req, UPLOAD_LENGTH)
                .orElseThrow(() -> StudioException.malformed("Upload-Length is required"));
        if (length > maxSize()) {
            AssetHttpService.count("too_large", 0);
            throw new StudioException(Problem.TOO_LARGE, "too_large",
                    "the upload of " + length + " bytes is larger than the limit of " + maxSize() + " bytes");
        }
        String metadata = req.headers().first(UPLOAD_METADATA).orElse("");
        String filename = filename(parseMetadata(metadata));
        boolean withBody = req.content().hasEntity() && contentLength(req) != 0;
        if (withBody && !isOffsetType(req)) {
            throw new StudioException(Problem.UNSUPPORTED_MEDIA, "unsupported_media_type",
                    "a creation with upload needs Content-Type: " + OFFSET_TYPE);
        }
        Caller caller = Caller.of(req);
        quotas.beforeUpload(caller.tenant(), length);
        Upload u = uploads.create(caller.tenant(), filename, length, metadata);
        LOG.info("upload {} created: {} bytes ({})", u.uploadId(), length, filename);
        String location = PATH + "/" + u.uploadId();
        res.header(HeaderNames.LOCATION, location);
        res.header(UPLOAD_EXPIRES, httpDate(u.expires()));
        if (withBody || length == 0) {
            ReentrantLock lock = uploads.tryLock(u.uploadId());
            try {
                u = receive(req, res, u);
            } finally {
                lock.unlock();
            }
            if (u == null) {
                return;
            }
        }
        res.header(UPLOAD_OFFSET, Long.toString(u.offset()));
        res.status(Status.CREATED_201).send();
    }

    private void head(ServerRequest req, ServerResponse res) {
        if (!resumable(req, res)) {
            return;
        }
        Upload u = live(req, res);
        if (u == null) {
            return;
        }
        res.header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(UPLOAD_OFFSET, Long.toString(u.offset()))
                .header(UPLOAD_LENGTH, Long.toString(u.length()))
                .header(UPLOAD_EXPIRES, httpDate(u.expires()));
        if (!u.metadata().isEmpty()) {
            res.header(UPLOAD_METADATA, u.metadata());
        }
        if (u.assetId() != null) {
            res.header(ASSET_ID, u.assetId());
        }
        res.status(Status.OK_200).send();
    }

    private void patch(ServerRequest req, ServerResponse res) {
        if (!resumable(req, res)) {
            return;
        }
        if (!isOffsetType(req)) {
            throw new StudioException(Problem.UNSUPPORTED_MEDIA, "unsupported_media_type",
                    "a PATCH needs Content-Type: " + OFFSET_TYPE);
        }
        long offset = number(req, UPLOAD_OFFSET).orElseThrow(() -> StudioException.malformed("Upload-Offset is required"));
        Upload u = live(req, res);
        if (u == null) {
            return;
        }
        ReentrantLock lock = uploads.tryLock(u.uploadId());
        if (lock == null) {
            // an earlier connection of the same client is still being read; tus clients retry on 423
            fail(res, 423, "upload_locked", "another request is writing this upload; retry in a moment");
            return;
        }
        try {
            u = uploads.find(u.uploadId()).orElseThrow(() -> StudioException.notFound("upload", req.path().pathParameters().get("upload_id")));
            if (offset != u.offset()) {
                res.header(UPLOAD_OFFSET, Long.toString(u.offset()));
                fail(res, 409, "offset_mismatch", "Upload-Offset is " + offset + " but the server has "
                        + u.offset() + " bytes: HEAD the upload and resume from there");
                return;
            }
            long announced = contentLength(req);
            if (announced > 0 && offset + announced > u.length()) {
                res.header(HeaderNames.CONNECTION, "close");
                throw new StudioException(Problem.TOO_LARGE, "too_large", "the PATCH runs past the Upload-Length of "
                        + u.length() + " bytes");
            }
            u = receive(req, res, u);
        } finally {
            lock.unlock();
        }
        if (u != null) {
            res.header(UPLOAD_OFFSET, Long.toString(u.offset()));
            res.status(Status.NO_CONTENT_204).send();
        }
    }

    private void terminate(ServerRequest req, ServerResponse res) {
        if (!resumable(req, res)) {
            return;
        }
        Upload u = find(req);
        ReentrantLock lock = uploads.tryLock(u.uploadId());
        if (lock == null) {
            fail(res, 423, "upload_locked", "another request is writing this upload; retry in a moment");
            return;
        }
        try {
            if (!uploads.terminate(u.uploadId())) {
                fail(res, 423, "upload_locked", "another process is writing this upload; retry in a moment");
                return;
            }
        } finally {
            lock.unlock();
        }
        LOG.info("upload {} terminated at {} of {} bytes", u.uploadId(), u.offset(), u.length());
        res.status(Status.NO_CONTENT_204).send();
    }

    /** The asset a complete upload became. */
    private void asset(ServerRequest req, ServerResponse res) {
        res.header(TUS_RESUMABLE, VERSION);
        Upload u = live(req, res);
        if (u == null) {
            return;
        }
        if (u.assetId() == null) {
            res.header(UPLOAD_OFFSET, Long.toString(u.offset()));
            fail(res, 409, "upload_incomplete", "the upload has " + u.offset() + " of " + u.length() + " bytes");
            return;
        }
        Asset asset = studio.assets().find(u.assetId()).orElseThrow(() -> StudioException.notFound("asset", u.assetId()));
        res.header(HeaderNames.LOCATION, AssetHttpService.PATH + "/" + asset.assetId());
        Json.ok(res, links.signed(asset.withWaveformStatus(studio.waveforms().status(asset.assetId()))));
    }

    /**
     * Streams the body into the upload's file from its offset, forces it to disk, records the new
     * offset, and ingests the file when it is complete. Returns the new state, or null when the
     * answer (an error) was already sent. After a dropped connection the answer goes nowhere.
     */
    private Upload receive(ServerRequest req, ServerResponse res, Upload u) {
        Checksum checksum = Checksum.of(req.headers().first(UPLOAD_CHECKSUM).orElse(null));
        long start = u.offset();
        Path bin = uploads.data(u.uploadId());
        Received r;
        try {
            // the OS lock says "a live process writes this" to any other process sharing the media root
            if (!FileLocks.adopt(bin)) {
                fail(res, 423, "upload_locked", "another process is writing this upload; retry in a moment");
                return null;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw StudioException.notFound("upload", u.uploadId()); // expired by another process meanwhile
        } catch (IOException e) {
            throw StudioException.writeFailure("the upload", e);
        }
        try {
            r = FileLocks.withLocked(bin, ch -> {
                ch.truncate(start); // bytes past the durable offset (a crash, a refused chunk) are not part of the upload
                Received got = copy(req.content().inputStream(), ch, start, u.length(), checksum);
                ch.force(false);
                if (got.tooLong() || (checksum != null && (got.cut() || !checksum.matches()))) {
                    ch.truncate(start);
                }
                return got;
            });
        } catch (IOException e) {
            throw StudioException.writeFailure("the upload", e);
        } finally {
            FileLocks.release(bin); // before an ingest, which takes the file's lock itself
        }
        long end = r.end();
        boolean cut = r.cut();
        if (r.tooLong()) {
            res.header(HeaderNames.CONNECTION, "close");
            throw new StudioException(Problem.TOO_LARGE, "too_large",
                    "the body runs past the Upload-Length of " + u.length() + " bytes");
        }
        if (checksum != null && (cut || !checksum.matches)) {
            if (cut) {
                LOG.info("upload {}: connection lost mid-chunk with a checksum; chunk dropped", u.uploadId());
                return u;
            }
            fail(res, 460, "checksum_mismatch", "the " + checksum.algorithm + " of the body is not the Upload-Checksum sent; "
                    + "the chunk was dropped, send it again");
            return null;
        }
        Upload next = end == start ? u : uploads.advance(u, end);
        if (cut) {
            // the client went away: what arrived is kept and the next PATCH resumes after it
            LOG.info("upload {}: connection lost at {} of {} bytes", u.uploadId(), end, u.length());
            return next;
        }
        if (next.complete() && next.assetId() == null) {
            next = finish(next);
            res.header(ASSET_ID, next.assetId());
        }
        return next;
    }

    /** The last byte is in: the file becomes an asset, or is refused and the upload removed. */
    private Upload finish(Upload u) {
        Asset asset;
        try {
            asset = studio.assets().ingestFile(u.tenant(), u.filename(), uploads.data(u.uploadId()));
            quotas.afterUpload(asset);
        } catch (StudioException e) {
            uploads.delete(u.uploadId());
            AssetHttpService.count(e.code(), 0);
            LOG.warn("upload {} refused ({}): {}", u.uploadId(), e.code(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            uploads.delete(u.uploadId());
            throw e;
        }
        AssetHttpService.count("accepted", asset.sizeBytes());
        Upload done = u.withAsset(asset.assetId());
        uploads.save(done);
        uploads.forgetLock(u.uploadId()); // nothing writes a finished upload again
        LOG.info("upload {} complete: asset {}", u.uploadId(), asset.assetId());
        return done;
    }

    private record Received(long end, boolean cut, boolean tooLong) {
    }

    /**
     * Copies the body at {@code pos}, never past {@code length}. A body that breaks off (dropped
     * connection) ends the copy with what arrived written. Two threads: this one reads the body
     * (Helidon hands it over in 8 KiB pieces) into direct buffers while a writer thread
     * writes the previous ones. Profiled (perf), the copy into the page cache inside
     * {@code pwrite} was half of the server's CPU and the socket reads most of the rest; done one
     * after the other on one thread they left the second core idle.
     */
    private static Received copy(InputStream in, FileChannel ch, long pos, long length, Checksum checksum)
            throws IOException {
        Writer writer = new Writer(ch);
        Thread thread = Thread.ofPlatform().daemon().name("tus-writer").start(writer);
        byte[] buf = new byte[READ];
        ByteBuffer piece = writer.free();
        boolean cut = false;
        boolean tooLong = false;
        try {
            while (!writer.failed()) {
                int n;
                try {
                    n = in.read(buf, 0, Math.min(buf.length, piece.remaining()));
                } catch (IOException | RuntimeException e) {
                    cut = true;
                    break;
                }
                if (n < 0) {
                    break;
                }
                if (pos + piece.position() + n > length) {
                    tooLong = true;
                    break;
                }
                piece.put(buf, 0, n);
                if (checksum != null) {
                    checksum.digest.update(buf, 0, n);
                }
                if (!piece.hasRemaining()) {
                    pos += writer.write(piece, pos);
                    piece = writer.free();
                }
            }
            pos += writer.write(piece, pos);
        } finally {
            writer.finish();
            joinQuietly(thread);
            writer.recycle();
        }
        writer.rethrow();
        return new Received(pos, cut, tooLong);
    }

    /** Bytes asked of the body stream per read (Helidon answers at most 8 KiB). */
    private static final int READ = 16 * 1024;
    /** Pieces in flight between the reading and the writing thread. */
    private static final int PIECES = 8;
    /** Direct buffers kept for the next requests (they are freed only by a collection otherwise). */
    private static final int POOLED = 4 * PIECES;
    private static final java.util.Queue<ByteBuffer> POOL = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Writes the pieces it is handed in order, and hands each buffer back when written. */
    private static final class Writer implements Runnable {
        private record Piece(ByteBuffer buf, long pos) {
        }

        private static final Piece END = new Piece(null, -1);
        private final FileChannel ch;
        private final java.util.concurrent.BlockingQueue<Piece> full = new java.util.concurrent.ArrayBlockingQueue<>(PIECES + 1);
        private final java.util.concurrent.BlockingQueue<ByteBuffer> free = new java.util.concurrent.ArrayBlockingQueue<>(PIECES);
        private volatile IOException failure;

        Writer(FileChannel ch) {
            this.ch = ch;
            for (int i = 0; i < PIECES; i++) {
                ByteBuffer b = POOL.poll();
                free.add(b != null ? b : ByteBuffer.allocateDirect(BUFFER));
            }
        }

        /** Once the writer has stopped: its buffers go back to the pool for the next request. */
        void recycle() {
            for (ByteBuffer b; (b = free.poll()) != null; ) {
                if (POOL.size() < POOLED) {
                    POOL.add(b);
                }
            }
        }

        /** An empty buffer, once the writer is done with it. */
        ByteBuffer free() throws IOException {
            try {
                return free.take().clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing the upload");
            }
        }

        /** Queues {@code buf} to be written at {@code pos}; returns its size. */
        int write(ByteBuffer buf, long pos) throws IOException {
            int n = buf.flip().remaining();
            if (n == 0) {
                free.add(buf);
                return 0;
            }
            try {
                full.put(new Piece(buf, pos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing the upload");
            }
            return n;
        }

        void finish() {
            full.add(END); // never full: at most PIECES buffers exist
        }

        boolean failed() {
            return failure != null;
        }

        void rethrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void run() {
            try {
                for (Piece p = full.take(); p != END; p = full.take()) {
                    long at = p.pos();
                    try {
                        while (failure == null && p.buf().hasRemaining()) {
                            at += ch.write(p.buf(), at);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the reader sees it and stops; the rest is only handed back
                        failure = e instanceof IOException io ? io : new IOException(e);
                    }
                    free.add(p.buf());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code Upload-Checksum: ALGORITHM BASE64}: the digest of this request's body. */
    private static final class Checksum {
        final String algorithm;
        final byte[] expected;
        final MessageDigest digest;
        boolean matches;

        private Checksum(String algorithm, byte[] expected, MessageDigest digest) {
            this.algorithm = algorithm;
            this.expected = expected;
            this.digest = digest;
        }

        static Checksum of(String header) {
            if (header == null) {
                return null;
            }
            String[] parts = header.strip().split(" ", 2);
            String name = parts[0].toLowerCase(Locale.ROOT);
            String jca = switch (name) {
                case "sha1" -> "SHA-1";
                case "md5" -> "MD5";
                case "sha256" -> "SHA-256";
                default -> throw StudioException.malformed("Upload-Checksum algorithm '" + parts[0]
                        + "' is not supported: use one of " + CHECKSUMS);
            };
            try {
                byte[] expected = Base64.getDecoder().decode(parts.length > 1 ? parts[1].strip() : "");
                return new Checksum(name, expected, MessageDigest.getInstance(jca));
            } catch (IllegalArgumentException e) {
                throw StudioException.malformed("Upload-Checksum is not 'ALGORITHM BASE64'");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Finishes the digest (once) and remembers whether it is the one sent. */
        boolean matches() {
            matches = MessageDigest.isEqual(expected, digest.digest());
            return matches;
        }
    }

    /** Checks {@code Tus-Resumable}; answers 412 and returns false when the client speaks another version. */
    private static boolean resumable(ServerRequest req, ServerResponse res) {
        res.header(TUS_RESUMABLE, VERSION);
        String v = req.headers().first(TUS_RESUMABLE).orElse("");
        if (!VERSION.equals(v)) {
            res.header(TUS_VERSION, VERSION);
            fail(res, 412, "unsupported_version", "send Tus-Resumable: " + VERSION);
            return false;
        }
        return true;
    }

    private Upload find(ServerRequest req) {
        String id = dev.videostudio.MediaRoot.requireValidId(req.path().pathParameters().get("upload_id"), "upload");
        Upload u = uploads.find(id).orElseThrow(() -> StudioException.notFound("upload", id));
        Caller.of(req).requireSees(u.tenant(), "upload", id); // another tenant's upload is unknown
        return u;
    }

    /** The upload, expiring it now if its time is past; null when 410 was answered. */
    private Upload live(ServerRequest req, ServerResponse res) {
        Upload u = find(req);
        if (!u.expired() && u.assetId() == null && Instant.now().isAfter(u.expires())) {
            ReentrantLock lock = uploads.tryLock(u.uploadId());
            if (lock != null) {
                try {
                    u = uploads.expire(u);
                } finally {
                    lock.unlock();
                }
            }
        }
        if (u.expired()) {
            fail(res, 410, "upload_expired", "the upload expired at " + u.expires() + " without progress; start a new one");
            return null;
        }
        return u;
    }

    private static void fail(ServerResponse res, int status, String code, String message) {
        ErrorResponses.send(res, status, ErrorInfo.of(code, message));
    }

    private static boolean isOffsetType(ServerRequest req) {
        return req.headers().first(HeaderNames.CONTENT_TYPE)
                .map(t -> t.split(";", 2)[0].strip().equalsIgnoreCase(OFFSET_TYPE)).orElse(false);
    }

    private static long contentLength(ServerRequest req) {
        return req.headers().contentLength().orElse(-1);
    }

    private static java.util.OptionalLong number(ServerRequest req, HeaderName name) {
        var value = req.headers().first(name);
        if (value.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(value.get().strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return java.util.OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw StudioException.malformed(name.defaultCase() + " must be a non-negative integer");
        }
    }

    /** {@code key base64,key2 base64,flag}: keys with their decoded values. */
    static Map<String, String> parseMetadata(String header) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.strip().split(" ", 2);
            if (kv[0].isEmpty()) {
                throw StudioException.malformed("Upload-Metadata has an empty key");
            }
            try {
                out.put(kv[0], kv.length > 1 ? new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw StudioException.malformed("Upload-Metadata value of '" + kv[0] + "' is not base64");
            }
        }
        return out;
    }

    /** tus-js-client sends {@code filename}, Uppy {@code name}; either is for display only. */
    private static String filename(Map<String, String> metadata) {
        String name = metadata.getOrDefault("filename", metadata.getOrDefault("name", "upload"));
        return name.isBlank() ? "upload" : name;
    }

    private static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }
}
