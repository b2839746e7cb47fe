package io.culvert.engine.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Ownership and modes of the socket and its folder: the folder 0750 and the socket 0660, both group-owned by
 * the service's group, so only root and the group reach it (never world-writable, unlike pritunl-client's).
 * Stateless.
 */
final class SocketFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-x---");
    static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-rw----");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {}

    /** Creates the folder if missing; a folder we own gets mode 0750 and the group. */
    static void prepareFolder(Path dir, GroupPrincipal group) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (owner.equals(self)) {
            PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setGroup(group);
            view.setPermissions(DIR_MODE);
        }
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0002) != 0) {
            throw new IOException(dir + " is world-writable; refusing to put the service socket there");
        }
    }

    /** Removes a stale socket left by an earlier run; anything else at that path is an error. */
    static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(socket + " exists and is not a socket");
        }
        Files.delete(socket);
    }

    /** Path-based chown/chmod: a socket cannot be opened for fchown (ENXIO); we just created it in our own folder. */
    static void restrict(Path socket, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        view.setGroup(group);
        view.setPermissions(SOCKET_MODE);
    }
}
