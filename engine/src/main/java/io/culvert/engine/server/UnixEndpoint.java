package io.culvert.engine.server;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The WebSocket endpoint's Unix socket (ADR 0046): mode 0660, owned by the server's user and a configured group (the
 * reverse proxy's worker is its member), so no other local user can reach the server around the proxy. The socket is
 * bound inside a private (0700) directory, given its mode and group there, and only then renamed into place: it is
 * never connectable by others, not even for a moment. A directory others may write to is refused (anyone could
 * replace the socket); a leftover file at the path is removed only when it is a socket owned by this user that
 * nobody listens on. Instances are not thread-safe; the acceptor owns one.
 *
 * @param channel the listening channel
 * @param path the socket's path
 * @param key the socket file's identity once in place (removed on close only while it is still this file)
 */
record UnixEndpoint(ServerSocketChannel channel, Path path, Object key) {
    /** The socket's mode. */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-rw----");

    /** Binds {@code path}, owned by {@code group} (null: the server's own group); throws saying what is wrong. */
    static UnixEndpoint bind(Path path, String group) throws IOException {
        Path socket = path.toAbsolutePath().normalize();
        Path dir = socket.getParent();
        PosixFileAttributes d;
        try {
            d = Files.readAttributes(dir, PosixFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("the directory " + dir + " does not exist (create it, e.g. mode 0750)");
        }
        if (!d.isDirectory()) {
            throw new IOException(dir + " is not a directory");
        }
        if (d.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the directory " + dir + " is writable by every user, who could replace the socket;"
                    + " use a directory only the server (and root) may write to, e.g. /run/culvert");
        }
        GroupPrincipal owner = null;
        if (group != null) {
            try {
                owner = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
                throw new IOException("no group '" + group + "' (culvert-websocket-group)");
            }
        }
        removeStale(socket);
        Path tmp = Files.createTempDirectory(dir, ".culvert-ws-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path inTmp = tmp.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(inTmp), 128);
            Files.setPosixFilePermissions(inTmp, MODE);
            if (owner != null) {
                Files.getFileAttributeView(inTmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(owner);
            }
            // rename(2) would replace a file that appeared meanwhile: only a writer of the directory could put one
            // there, and the directory was checked; still, refuse rather than replace
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(socket + " appeared while the socket was being made");
            }
            Files.move(inTmp, socket, StandardCopyOption.ATOMIC_MOVE);
            Object key = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new UnixEndpoint(ch, socket, key);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(inTmp);
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes a socket a previous run left at {@code socket}, when it is one: a socket file owned by this user that
     * refuses connections. Anything else there is refused with a message.
     */
    private static void removeStale(Path socket) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!a.isOther() || a.isSymbolicLink()) {
            throw new IOException(socket + " exists and is not a socket; remove it or choose another path");
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) {
            throw new IOException(socket + " exists and belongs to " + a.owner().getName() + ", not " + me
                    + "; remove it or choose another path");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException(socket + " is in use: another server listens on it");
        } catch (java.net.ConnectException e) {
            Files.delete(socket); // stale: a socket of ours nobody listens on
        } catch (java.net.SocketException e) {
            throw new IOException(socket + " exists and cannot be checked: " + e.getMessage(), e);
        }
    }

    /** Removes the socket file while it is still the one bound here. */
    void unlink() {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isOther() && a.fileKey() != null && a.fileKey().equals(key)) {
                Files.delete(path);
            }
        } catch (IOException ignored) {
            // gone already, or not ours to remove
        }
    }
}
