package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The file store's permissions: files created with mode 0600 and folders with 0700 on POSIX systems, and a secrets
 * file or key file that its group or others may read or write refused. Elsewhere (Windows) files get the platform's
 * defaults and are not checked.
 *
 * <p>Stateless and thread-safe.
 */
final class FilePermissions {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private FilePermissions() {
    }

    /** Whether the default file system has POSIX permissions. */
    static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Mode 0600, for {@link Files#createFile}. */
    static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    }

    /** Creates a file readable and writable by its owner only, where the platform has POSIX permissions. */
    static void createOwnerOnlyFile(Path path) throws IOException {
        if (isPosix()) {
            Files.createFile(path, ownerOnly());
        } else {
            Files.createFile(path);
        }
    }

    /** Creates a folder and its parents, with mode 0700 where the platform has POSIX permissions. */
    static void createOwnerOnlyFolder(Path folder) throws IOException {
        if (isPosix()) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(EnumSet.of(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE)));
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Refuses a file that its group or others may read or write.
     *
     * @throws SecretsFileException (UNSAFE_PERMISSIONS) if they may, with the {@code chmod} that fixes it
     * @throws IOException if the permissions cannot be read (a missing file: {@code NoSuchFileException})
     */
    static void check(CredentialRef ref, Path path) throws IOException {
        if (!isPosix()) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        Set<PosixFilePermission> extra = EnumSet.copyOf(permissions);
        extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!extra.isEmpty()) {
            throw new SecretsFileException(Reason.UNSAFE_PERMISSIONS, ref, path,
                    "its group or others may read or write it "
                    + "(" + PosixFilePermissions.toString(permissions) + "); only its owner may. Fix it with: "
                    + "chmod 600 '" + path + "'");
        }
    }
}
