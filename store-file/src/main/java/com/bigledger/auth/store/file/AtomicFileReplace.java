package com.bigledger.auth.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Crash-safe replacement of the secrets file: the new bytes go to an owner-only temporary file in the same folder
 * ({@code .NAME.RANDOM.tmp}), forced to disk, then atomically renamed over the file, and the folder forced so that
 * the rename is durable where the platform allows it. A reader or a crash sees the old file or the new one, never a
 * mix. Temporary files of writers that crashed before their rename are deleted by the next writer.
 *
 * <p>Thread-safe as far as its own state goes (none), but a replacement and {@link #deleteAbandoned} must run under
 * the secrets file's {@link SecretsFileLock}, so that no live writer's temporary file is taken for an abandoned one.
 */
final class AtomicFileReplace {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFileReplace() {
    }

    /** Replaces {@code file} with {@code bytes}; the temporary file is deleted if the rename did not happen. */
    static void replace(Path file, byte[] bytes) throws IOException {
        Path folder = file.getParent();
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        Path temporary = folder.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
        boolean moved = false;
        try {
            FilePermissions.createOwnerOnlyFile(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Removes the temporary files of writers that crashed before their rename. Called with the lock held, when no
     * live writer has one.
     */
    static void deleteAbandoned(Path file) {
        String prefix = "." + file.getFileName() + ".";
        try (DirectoryStream<Path> abandoned = Files.newDirectoryStream(file.getParent(), path -> {
            String name = path.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp");
        })) {
            for (Path path : abandoned) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Only tidying: a leftover file holds ciphertext alone, readable by its owner only.
        }
    }

    /** Makes the rename itself durable; where a folder cannot be opened (Windows), the move is all there is. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported on this platform: the rename is atomic but may not yet be durable.
        }
    }
}
