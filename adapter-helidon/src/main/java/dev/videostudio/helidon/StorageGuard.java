package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps {@code studio.storage.reserve} bytes free on the media root's disk: below it, routes that
 * store files or start jobs answer {@code 507 insufficient_storage} before doing anything, and
 * {@code /health} turns DOWN.
 */
final class StorageGuard {

    private final Path root;
    private final long reserve;
    /** The root's file store, found once: finding it reads the mount table, on every request that writes. */
    private volatile FileStore store;

    StorageGuard(Path root, long reserve) {
        this.root = root;
        this.reserve = reserve;
    }

    long reserve() {
        return reserve;
    }

    /** Free bytes for this process on the media root's disk, or -1 when it cannot be read. */
    long freeBytes() {
        try {
            FileStore s = store;
            if (s == null) {
                store = s = Files.getFileStore(root);
            }
            return s.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    boolean enoughRoom() {
        long free = freeBytes();
        return free < 0 || free >= reserve;
    }

    void requireRoom() {
        if (!enoughRoom()) {
            throw StudioException.insufficientStorage("the server's disk is nearly full (less than "
                    + reserve + " bytes free): uploads and renders are refused until space is freed");
        }
    }
}
