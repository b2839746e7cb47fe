package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives SecretToolKeyring against a fake secret-tool script that keeps items in files. */
class SecretToolKeyringTest {
    private static final String FAKE = """
            #!/bin/sh
            cmd=$1; shift
            echo "$cmd $*" >> "$FAKE_DIR/argv.log"
            [ -f "$FAKE_DIR/down" ] && { echo "Cannot autolaunch D-Bus without X11 \\$DISPLAY" >&2; exit 1; }
            acct=""
            while [ $# -gt 0 ]; do case "$1" in account) acct=$2; shift 2;; *) shift;; esac; done
            case $cmd in
              store) cat > "$FAKE_DIR/item-$acct";;
              lookup) [ -f "$FAKE_DIR/item-$acct" ] && cat "$FAKE_DIR/item-$acct" || exit 1;;
              clear) rm -f "$FAKE_DIR/item-$acct";;
              search) exit 1;;
            esac
            """;

    @TempDir
    Path tmp;
    private Path tool;
    private Map<String, String> env;

    @BeforeEach
    void fakeTool() throws Exception {
        tool = tmp.resolve("secret-tool");
        Files.writeString(tool, FAKE);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        env = Map.of("FAKE_DIR", tmp.toString(), "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", "PATH", "/usr/bin:/bin");
    }

    @Test
    void storesLooksUpAndClearsWithTheSecretOnStdinOnly() throws Exception {
        SecretToolKeyring k = new SecretToolKeyring(tool, env);
        assertTrue(k.isAvailable());
        k.store("acc-1", "Culvert VPN: work", "s3cret pass\twith tab");
        assertEquals(Optional.of("s3cret pass\twith tab"), k.lookup("acc-1"));
        assertEquals(Optional.empty(), k.lookup("acc-2"));
        k.clear("acc-1");
        assertEquals(Optional.empty(), k.lookup("acc-1"));
        String argv = Files.readString(tmp.resolve("argv.log"));
        assertTrue(argv.contains("store --label=Culvert VPN: work application culvert account acc-1"), argv);
        assertFalse(argv.contains("s3cret"), "the secret never appears in argv");
    }

    @Test
    void serviceNotRunningMeansUnavailableAndFailedCalls() throws Exception {
        Files.createFile(tmp.resolve("down"));
        SecretToolKeyring k = new SecretToolKeyring(tool, env);
        assertFalse(k.isAvailable());
        StoreException e = assertThrows(StoreException.class, () -> k.lookup("acc-1"));
        assertEquals(StoreException.Kind.SECRET_STORAGE_FAILED, e.kind());
        assertTrue(e.getMessage().contains("Cannot autolaunch D-Bus"), e.getMessage());
    }

    @Test
    void noSessionBusMeansUnavailable() {
        assertFalse(new SecretToolKeyring(tool, Map.of("FAKE_DIR", tmp.toString())).isAvailable());
    }

    @Test
    void fromPathFindsTheToolOrFallsBackToNone() {
        assertTrue(SecretToolKeyring.fromPath(Map.of("PATH", tmp.toString())) instanceof SecretToolKeyring);
        assertTrue(SecretToolKeyring.fromPath(Map.of("PATH", tmp.resolve("empty").toString())) == Keyring.NONE);
    }
}
