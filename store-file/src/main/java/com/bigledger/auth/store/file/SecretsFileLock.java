package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock that serialises the writers of one secrets file: a {@link ReentrantLock} shared by every source of this
 * JVM for that path (a {@link FileLock} is held per JVM, not per thread), then an advisory lock on the
 * {@code .lock} file beside the secrets file, which other processes take too. Held across a writer's read, change and
 * {@linkplain AtomicFileReplace atomic replace}, so no other thread or process writes in between. The secrets file's
 * folder is created (mode 0700) before the lock file, and abandoned temporary files are deleted once it is held.
 *
 * <p>Thread-safe: that is its purpose. Blocks while another thread or process holds the lock.
 */
final class SecretsFileLock {

    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock lock;

    /** The lock of a file, given as an absolute, normalised path. */
    SecretsFileLock(Path file) {
        this.file = file;
        this.lock = LOCKS.computeIfAbsent(file, p -> new ReentrantLock());
    }

    /** Work done under the lock, which may fail with I/O. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} holding both locks.
     *
     * @throws com.bigledger.auth.SourceUnavailableException if the folder cannot be created, the file cannot be
     *     locked, or {@code work} fails with I/O
     */
    <T> T run(CredentialRef ref, Locked<T> work) {
        lock.lock();
        try {
            Path folder = file.getParent();
            createFolder(ref, folder);
            Path lockFile = folder.resolve(file.getFileName() + ".lock");
            try (FileChannel channel = openLockFile(lockFile)) {
                // Released when the channel closes; held across the read, so no other process writes between.
                FileLock held = channel.lock();
                AtomicFileReplace.deleteAbandoned(file);
                T result = work.run();
                held.release();
                return result;
            } catch (IOException e) {
                throw SecretsFile.unavailable(ref, "cannot lock or write the secrets file " + file, e);
            }
        } finally {
            lock.unlock();
        }
    }

    private static FileChannel openLockFile(Path lockFile) throws IOException {
        if (FilePermissions.isPosix()) {
            try {
                Files.createFile(lockFile, FilePermissions.ownerOnly());
            } catch (FileAlreadyExistsException e) {
                // Another writer made it first: it is the same lock.
            }
        }
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private void createFolder(CredentialRef ref, Path folder) {
        if (Files.isDirectory(folder)) {
            return;
        }
        try {
            FilePermissions.createOwnerOnlyFolder(folder);
        } catch (IOException e) {
            throw SecretsFile.unavailable(ref, "cannot create the folder " + folder + " the secrets file " + file, e);
        }
    }
}
