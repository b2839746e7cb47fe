package io.culvert.engine.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one place that writes files which must not be readable by others, and removes folder trees. Files are written
 * atomically (a temporary file in the same folder, created with its final permissions, forced to disk, renamed over
 * the target), so a private key is never readable by others, not even for a moment, and readers of the target (a
 * server re-reading {@code crl.pem}, a status reader) never see a half-written file. Folders are created 0700.
 * Stateless and thread-safe.
 */
public final class PrivateFiles {
    /** rw------- for private keys, profiles, passwords, status. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** rw-r--r-- for certificates and CRLs. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** rwx------ for folders. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** Writes {@code text} (UTF-8) to {@code file} as 0600, atomically; see {@link #write}. */
    public static void writePrivate(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), PRIVATE);
    }

    /** Writes {@code text} (UTF-8) to {@code file} as 0644, atomically; see {@link #write}. */
    public static void writePublic(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8), PUBLIC);
    }

    /**
     * Creates {@code dir} as 0700 (missing parents with default permissions); an existing folder is left as it is.
     * See {@link #createDirectories} for a tree that is private all the way.
     */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        mkdirPrivate(dir);
    }

    /** Creates every missing folder of {@code dir} as 0700, whatever the umask; existing folders are left as they are. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        mkdirPrivate(dir);
    }

    private static void mkdirPrivate(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY); // the umask may have removed bits; never added any
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e; // a file in the way
            } // else another process created it first
        }
    }

    /**
     * Writes {@code content} to {@code file} with exactly {@code perms}, whatever the umask: into a temporary file
     * created with those permissions, forced to disk, then moved over {@code file}. The folder must exist (as with
     * OpenVPN's files, a missing one is an error, not created behind the caller's back): {@link #createDirectory} first.
     */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        write(file, content, perms, true);
    }

    /**
     * As {@link #write(Path, byte[], Set)}; with {@code force} false the data is not forced to disk before the rename,
     * for a file rewritten every few seconds on a thread that must not wait for the disk (a status file): after a
     * crash it may be empty, never half old and half new.
     */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> perms, boolean force) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(perms));
        try {
            Files.setPosixFilePermissions(tmp, perms); // the umask may have removed bits a public file needs
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An empty new 0600 file in {@code dir} with a unique name starting with {@code prefix}, for a child process. */
    public static Path createTempFile(Path dir, String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE));
    }

    /** Creates {@code file} empty as 0600 if missing; an existing file is narrowed to 0600. */
    public static void ensurePrivateFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException exists) {
            // fall through to narrowing
        }
        narrow(file);
    }

    /** Sets {@code file} to 0600 if it exists as a regular file (a link is left alone). */
    public static void narrow(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
            Files.setPosixFilePermissions(file, PRIVATE);
        }
    }

    /**
     * Removes {@code path} and, when it is a folder, everything below it, deepest first. Links are removed, never
     * followed. A missing path is fine.
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
