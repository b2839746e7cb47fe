package io.culvert.engine.serveradmin;

import static io.culvert.engine.serveradmin.ServerFiles.failure;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.store.IssuedCertificate;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoredServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/**
 * A managed server to and from a passphrase-sealed backup ({@link BackupFile}): its config, public host, ccd entries,
 * certificate register and PKI folder. A restore is staged in a private folder and moved into place whole. Not
 * thread-safe; {@link LocalServerAdmin} serialises changes.
 */
final class ServerBackups {
    private final ServerFiles files;
    private final ServerRuns runs;
    private final SecureRandom random;

    ServerBackups(ServerFiles files, ServerRuns runs, SecureRandom random) {
        this.files = files;
        this.runs = runs;
        this.random = random;
    }

    /** The entries of {@code server}'s backup, read under the caller's lock. */
    Map<String, byte[]> entries(String server) throws EngineException {
        StoredServer s = files.stored(server);
        try {
            return ServerEdits.backupEntries(s, files.publicHost(server), files.store().certificates().list(server),
                    files.dir(server));
        } catch (IOException | StoreException e) {
            throw failure(e);
        }
    }

    /** {@code entries} sealed with {@code passphrase}; the entries are zeroed after. */
    byte[] seal(Map<String, byte[]> entries, char[] passphrase) throws EngineException {
        try {
            return BackupFile.seal(entries, passphrase, random);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            entries.replaceAll((k, v) -> {
                Arrays.fill(v, (byte) 0);
                return v;
            });
        }
    }

    ServerSpec restore(byte[] backup, char[] passphrase, String asName) throws EngineException {
        ServerEdits.Restored r;
        try {
            r = ServerEdits.restored(BackupFile.open(backup, passphrase), asName);
        } catch (BackupFile.BadBackupException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        String name = r.spec().name();
        Store store = files.store();
        if (store.servers().find(name).isPresent()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a server named '" + name
                    + "' already exists; delete it or restore the backup under another name");
        }
        Path dir = files.dir(name);
        Path staging = files.serversDir().resolve(".restore-" + name);
        boolean added = false;
        try {
            PrivateFiles.deleteRecursively(staging);
            PrivateFiles.deleteRecursively(dir); // leftovers of a create that did not finish
            Files.createDirectories(files.serversDir());
            PrivateFiles.createDirectory(staging);
            for (Map.Entry<String, byte[]> f : r.files().entrySet()) {
                Path p = staging.resolve(f.getKey());
                createParents(staging, p.getParent());
                ServerEdits.writeFile(p, f.getValue());
            }
            PrivateFiles.createDirectory(staging.resolve("ccd"));
            ServerConfig.from(OvpnFile.parse(r.config()), staging, false);
            Files.writeString(staging.resolve("server.conf"), r.config());
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            store.servers().add(name, r.config(), dir.resolve("pki").toString());
            added = true;
            files.setPublicHost(name, r.spec().publicHost());
            for (Map.Entry<String, String> c : r.ccd().entrySet()) {
                store.servers().putCcd(name, c.getKey(), c.getValue());
            }
            for (IssuedCertificate c : r.certificates()) {
                store.certificates().add(new IssuedCertificate(name, c.serial(), c.commonName(), c.notBefore(), c.notAfter(),
                        c.revokedAt(), c.certPem()));
            }
            files.writeCcdFiles(files.stored(name));
        } catch (IOException | OvpnParseException | StoreException | IllegalArgumentException | EngineException e) {
            if (added) {
                store.servers().delete(name);
                files.forgetPublicHost(name);
            }
            try {
                PrivateFiles.deleteRecursively(staging);
                PrivateFiles.deleteRecursively(dir);
            } catch (IOException ignored) {
                // the next create or restore cleans up
            }
            throw e instanceof EngineException ee ? ee : failure(e);
        }
        runs.note(name, "restored from a backup");
        return r.spec();
    }

    private static void createParents(Path root, Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        createParents(root, dir.getParent());
        PrivateFiles.createDirectory(dir);
    }
}
