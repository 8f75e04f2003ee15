package dev.videostudio;

import dev.videostudio.internal.FileLocks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * The folder layout under the media root, id checks, and crash-safe writes. Every file the
 * studio produces goes through {@link #writeAtomically} or {@link #moveIntoPlace}: a reader never
 * sees half a file and a crash leaves only a temporary name behind, which
 * {@link #removeLeftovers()} removes. A temporary file is locked by its writer until it is moved
 * or deleted, and each process keeps its scratch files in its own locked folder under
 * {@code tmp/}, so recovery never removes what another live process is still writing.
 */
public final class MediaRoot {

    private static final String TEMP_PREFIX = ".tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Path root;

    public MediaRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path assets() {
        return folder("video_assets");
    }

    public Path waveforms() {
        return folder("waveforms");
    }

    public Path proxies() {
        return folder("video_proxies");
    }

    public Path timelines() {
        return folder("timelines");
    }

    public Path jobs() {
        return folder("jobs");
    }

    /** Small per-asset proxies used as render inputs instead of the originals. */
    public Path editProxies() {
        return folder("edit_proxies");
    }

    /** Rendered timeline segments, named by the hash of their content. */
    public Path segments() {
        return folder("segments");
    }

    /**
     * This process's scratch folder for renders and decodes, {@code tmp/{session}/}, claimed by
     * a lock on {@code tmp/{session}.lock} held while the process lives; created on first use.
     */
    public Path temp() {
        return SESSIONS.computeIfAbsent(root, r -> newSession(folder("tmp")));
    }

    /** Scratch folders of this process, by media root. */
    private static final java.util.Map<Path, Path> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String LOCK_SUFFIX = ".lock";

    private static Path newSession(Path tmp) {
        try {
            Files.createDirectories(tmp);
            while (true) {
                String name = "s" + ProcessHandle.current().pid() + "-" + newId("p").substring(2, 10);
                // the lock file first, then the folder: a folder without a locked lock file is dead
                if (FileLocks.holdForever(tmp.resolve(name + LOCK_SUFFIX))
                        && Files.exists(tmp.resolve(name + LOCK_SUFFIX))) {
                    return Files.createDirectories(tmp.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder in " + tmp, e);
        }
    }

    /** Creates the folder layout (no clean-up: that is {@link #removeLeftovers()}). */
    public void prepare() {
        for (Path p : new Path[] {assets(), waveforms(), proxies(), timelines(), jobs(), editProxies(), segments(), folder("tmp")}) {
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare media folder " + p, e);
            }
        }
    }

    /**
     * Removes temporary files a crash left behind: {@code .tmp-*} files no live process holds
     * locked, and scratch folders under {@code tmp/} whose process is gone. Safe while other
     * processes use the media root.
     *
     * @return how many files and folders were removed
     */
    public int removeLeftovers() {
        int removed = 0;
        Path tmp = folder("tmp");
        for (Path p : new Path[] {assets(), waveforms(), proxies(), timelines(), jobs(), editProxies(), segments()}) {
            if (!Files.isDirectory(p)) {
                continue;
            }
            try (var files = Files.list(p)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.getFileName().toString().startsWith(TEMP_PREFIX) && Files.isRegularFile(f)
                            && FileLocks.deleteIfUnused(f)) {
                        removed++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean media folder " + p, e);
            }
        }
        if (Files.isDirectory(tmp)) {
            Path mine = SESSIONS.get(root);
            try (var files = Files.list(tmp)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (f.equals(mine) || (mine != null && name.equals(mine.getFileName() + LOCK_SUFFIX))) {
                        continue;
                    }
                    if (Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Path lock = tmp.resolve(name + LOCK_SUFFIX);
                        if (!Files.exists(lock) || !FileLocks.inUse(lock)) {
                            deleteRecursively(f);
                            FileLocks.deleteIfUnused(lock);
                            removed++;
                        }
                    } else if (!name.endsWith(LOCK_SUFFIX) && FileLocks.deleteIfUnused(f)) {
                        removed++; // a scratch file of an older layout
                    } else if (name.endsWith(LOCK_SUFFIX)
                            && !Files.exists(tmp.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length())))
                            && FileLocks.deleteIfUnused(f)) {
                        removed++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean " + tmp, e);
            }
        }
        return removed;
    }

    private Path folder(String name) {
        return root.resolve(name);
    }

    /**
     * True when {@code id} is a well-formed id: 1 to 64 characters of letters, digits, '-' and '_'
     * (URL-safe, no path tricks), checked before any file system access.
     */
    public static boolean isValidId(String id) {
        // by hand, not with a regex: every request checks an id or two, and the regex cost a tenth of a small answer
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code id} or throws a 400 {@code invalid_id} error. */
    public static String requireValidId(String id, String what) {
        if (!isValidId(id)) {
            throw new StudioException(StudioException.Problem.MALFORMED, ErrorCode.INVALID_ID,
                    what + " id is malformed: expected 1-64 letters, digits, '-' or '_'");
        }
        return id;
    }

    /** A new random id with a short prefix saying what it names, for example {@code a_x3k...}. */
    public static String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append('_');
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /**
     * A fresh temporary file in the same folder as {@code target} (so the final rename is atomic),
     * created empty and locked against recovery until {@link #moveIntoPlace} or
     * {@link #deleteQuietly}. Write it from another process (ffmpeg) or through
     * {@link #writeAtomically}, never by opening it again here (that would drop the lock).
     */
    public static Path tempSibling(Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            while (true) {
                Path tmp = target.resolveSibling(TEMP_PREFIX + newId("w") + "-" + target.getFileName());
                if (FileLocks.createLocked(tmp)) {
                    return tmp;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for " + target, e);
        }
    }

    /** Writes {@code bytes} to {@code target} via a temporary file and an atomic rename. */
    public static void writeAtomically(Path target, byte[] bytes) {
        writeAtomically(target, out -> out.write(bytes));
    }

    /** Something that writes a file's content. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes through {@code writer} to a temporary file, then renames it to {@code target}. */
    public static void writeAtomically(Path target, ContentWriter writer) {
        Path tmp = tempSibling(target);
        try {
            try (OutputStream out = FileLocks.output(tmp)) {
                writer.write(out);
            }
            moveIntoPlace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StudioException.writeFailure(target.getFileName().toString(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Renames a finished temporary file to its final name, atomically where the file system can,
     * and releases its lock.
     */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        moveKeepingLock(tmp, target);
        FileLocks.release(target);
    }

    /**
     * Renames a finished temporary file to its final name and keeps it locked until
     * {@link FileLocks#release}{@code (target)}: for a file that is not complete until a record
     * names it (an upload), so recovery does not take it for an orphan meanwhile.
     */
    public static void moveKeepingLock(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        FileLocks.moved(tmp, target);
    }

    /** Deletes a file if it exists (releasing this process's lock on it); failures are ignored. */
    public static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        FileLocks.release(p);
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temporary file is removed at the next start
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    deleteRecursively(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
