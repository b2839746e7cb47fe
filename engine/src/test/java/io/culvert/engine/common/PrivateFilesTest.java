package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user checks with {@code ls -l}: modes, whole contents, no stray temporary files, nothing followed. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aPrivateFileIsOwnerOnlyAndReplacesTheOldOneWhole() throws IOException {
        Path key = dir.resolve("keys/client.key");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> PrivateFiles.writePrivate(key, "old"),
                "a missing folder is not made behind the caller's back");
        assertFalse(Files.exists(key.getParent()));
        PrivateFiles.createDirectory(key.getParent());
        PrivateFiles.writePrivate(key, "old");
        PrivateFiles.writePrivate(key, "new key");
        assertEquals("new key", Files.readString(key));
        assertEquals("rw-------", mode(key));
        assertEquals("rwx------", mode(key.getParent()));
        try (Stream<Path> s = Files.list(key.getParent())) {
            assertEquals(1, s.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void aPublicFileIsReadableByAllWhateverItWasBefore() throws IOException {
        Path crl = dir.resolve("crl.pem");
        PrivateFiles.writePrivate(crl, "x");
        PrivateFiles.writePublic(crl, "crl");
        assertEquals("rw-r--r--", mode(crl));
        PrivateFiles.write(crl, new byte[] {1, 2}, PrivateFiles.PRIVATE, false);
        assertEquals("rw-------", mode(crl));
        assertEquals(2, Files.size(crl));
    }

    @Test
    void foldersAreOwnerOnlyAllTheWayOrOnlyAtTheEnd() throws IOException {
        Path deep = dir.resolve("a/b/c");
        PrivateFiles.createDirectories(deep);
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(deep));
        Path other = dir.resolve("x/y");
        PrivateFiles.createDirectory(other);
        assertEquals("rwx------", mode(other));
        assertTrue(mode(dir.resolve("x")).startsWith("rwx"));
        Files.writeString(dir.resolve("file"), "");
        assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createDirectories(dir.resolve("file")));
    }

    @Test
    void anExistingFileIsNarrowedAndALinkIsLeftAlone() throws IOException {
        Path db = dir.resolve("culvert.db");
        Files.writeString(db, "data");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        PrivateFiles.ensurePrivateFile(db);
        assertEquals("rw-------", mode(db));
        assertEquals("data", Files.readString(db), "narrowing keeps the content");
        Path target = dir.resolve("target");
        Files.writeString(target, "");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        PrivateFiles.narrow(link);
        assertEquals("rw-r--r--", mode(target), "narrow never follows a link");
        Path tmp = PrivateFiles.createTempFile(dir, "culvert_cc_");
        assertEquals("rw-------", mode(tmp));
        assertTrue(tmp.getFileName().toString().startsWith("culvert_cc_"));
    }

    @Test
    void aTreeIsRemovedButWhatALinkInItPointsToIsKept() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(dir.resolve("server/ccd"));
        Files.writeString(tree.resolve("alice"), "ifconfig-push 10.8.0.5 255.255.255.0");
        Files.createSymbolicLink(tree.resolve("escape"), outside);
        PrivateFiles.deleteRecursively(dir.resolve("server"));
        assertFalse(Files.exists(dir.resolve("server"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(outside.resolve("keep.txt")));
        PrivateFiles.deleteRecursively(dir.resolve("missing")); // a missing path is fine
    }
}
