package dev.videostudio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The folder layout under the media root, id checks, and crash-safe writes. Every file the
 * studio produces goes through {@link #writeAtomically} or {@link #moveIntoPlace}: a reader never
 * sees half a file and a crash leaves only a temporary name behind, cleaned at start.
 */
public final class MediaRoot {

    /** Ids are 1 to 64 characters of letters, digits, '-' and '_': URL-safe, no path tricks. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
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

    /** Temporary files of uploads and renders; emptied at start. */
    public Path temp() {
        return folder("tmp");
    }

    /** Creates the layout and removes temporary files a crash left behind. */
    public void prepare() {
        for (Path p : new Path[] {assets(), waveforms(), proxies(), timelines(), jobs(), editProxies(), segments(), temp()}) {
            try {
                Files.createDirectories(p);
                try (var files = Files.list(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        if (f.getFileName().toString().startsWith(TEMP_PREFIX) || p.equals(temp())) {
                            deleteRecursively(f);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare media folder " + p, e);
            }
        }
    }

    private Path folder(String name) {
        return root.resolve(name);
    }

    /** True when {@code id} is a well-formed id (checked before any file system access). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Returns {@code id} or throws a 400 {@code invalid_id} error. */
    public static String requireValidId(String id, String what) {
        if (!isValidId(id)) {
            throw new StudioException(StudioException.Problem.MALFORMED, "invalid_id",
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

    /** A fresh temporary path in the same folder as {@code target}, so the final rename is atomic. */
    public static Path tempSibling(Path target) {
        return target.resolveSibling(TEMP_PREFIX + newId("w") + "-" + target.getFileName());
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
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(tmp)) {
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

    /** Renames a finished temporary file to its final name, atomically where the file system can. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
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
