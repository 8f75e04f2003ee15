package dev.videostudio.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OS file locks that say "a live process is writing this": a writer creates its temporary file
 * locked, and recovery deletes only files it can lock itself, so no process (a second server, a
 * command-line render) loses a file it is still writing. A crashed process's locks vanish with it.
 *
 * <p>POSIX locks belong to the process and any close of the file in it drops them all (checked:
 * another channel of the same JVM closing releases the lock for other processes), so a file locked
 * here is written only through {@link #output}, read in this process only through {@link #read},
 * and otherwise only by child processes (ffmpeg, ffprobe: their closes do not touch our locks);
 * {@link #inUse} answers from memory for this process's own files instead of opening them.
 */
public final class FileLocks {

    /** Files this process holds locked, by absolute path, with the channel holding the lock. */
    private static final Map<Path, FileChannel> HELD = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /**
     * Creates {@code file} (it must not exist) and locks it until {@link #release}.
     *
     * @return false when the file exists, or another process took or removed it meanwhile: pick another name
     */
    public static boolean createLocked(Path file) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        // between the create and the lock, another process's recovery may have removed it
        return hold(file, channel);
    }

    /**
     * Locks an existing file made elsewhere (a finished resumable upload) until {@link #release},
     * so that recovery leaves it alone while it is moved and probed.
     *
     * @return false when another process holds it or it is gone
     */
    public static boolean adopt(Path file) throws IOException {
        return hold(file, FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /**
     * Locks {@code file} through {@code channel} and keeps both until {@link #release}; closes the
     * channel and answers false when another holder has the lock or the file is gone meanwhile.
     */
    private static boolean hold(Path file, FileChannel channel) throws IOException {
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null || !Files.exists(file)) {
                channel.close();
                return false;
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        HELD.put(key(file), channel);
        return true;
    }

    /** Writes to a file locked by {@link #createLocked}; closing the stream keeps the lock. */
    public static OutputStream output(Path file) {
        FileChannel channel = HELD.get(key(file));
        if (channel == null) {
            throw new IllegalStateException(file + " is not locked by this process");
        }
        return new FilterOutputStream(Channels.newOutputStream(channel)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Reads a file with positional reads on a channel it must not close. */
    @FunctionalInterface
    public interface ChannelReader<T> {
        T read(FileChannel channel) throws IOException;
    }

    /**
     * Reads {@code file} in this process: through the channel holding its lock when this process
     * holds one (opening and closing another channel would drop the lock), else through a channel
     * of its own.
     */
    public static <T> T read(Path file, ChannelReader<T> reader) throws IOException {
        FileChannel held = HELD.get(key(file));
        if (held != null) {
            return reader.read(held);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return reader.read(channel);
        }
    }

    /**
     * Works on a file this process holds locked (for example positional writes into an upload
     * adopted with {@link #adopt}), through the channel holding the lock: opening and closing
     * another channel would drop the lock.
     */
    public static <T> T withLocked(Path file, ChannelReader<T> work) throws IOException {
        FileChannel held = HELD.get(key(file));
        if (held == null) {
            throw new IllegalStateException(file + " is not locked by this process");
        }
        return work.read(held);
    }

    /** A locked file was renamed: the lock (held on the file, not the name) now guards {@code to}. */
    public static void moved(Path from, Path to) {
        FileChannel channel = HELD.remove(key(from));
        if (channel != null) {
            HELD.put(key(to), channel);
        }
    }

    /** Releases the lock on {@code file}, when this process holds one. */
    public static void release(Path file) {
        FileChannel channel = HELD.remove(key(file));
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock on " + file, e);
            }
        }
    }

    /**
     * True when a live process (this one or another) holds a lock on {@code file}, or when that
     * cannot be told; false for a missing file or one whose writer is gone.
     */
    public static boolean inUse(Path file) {
        if (HELD.containsKey(key(file))) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return true; // unsure: keep the file
        }
    }

    /**
     * Deletes {@code file} if no live process holds a lock on it, holding the lock while deleting
     * so that a writer cannot start on it half way.
     *
     * @return true when the file was deleted
     */
    public static boolean deleteIfUnused(Path file) {
        if (HELD.containsKey(key(file))) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            Files.deleteIfExists(file);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (OverlappingFileLockException | IOException e) {
            return false;
        }
    }

    /**
     * Locks {@code file} (creating it) for the rest of this process's life, for example to claim
     * a folder only one process may use.
     *
     * @return false when another live process holds it
     */
    public static boolean holdForever(Path file) throws IOException {
        Path k = key(file);
        if (HELD.containsKey(k)) {
            return true;
        }
        synchronized (HELD) {
            if (HELD.containsKey(k)) {
                return true;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return false;
            }
            HELD.put(k, channel);
            return true;
        }
    }
}
