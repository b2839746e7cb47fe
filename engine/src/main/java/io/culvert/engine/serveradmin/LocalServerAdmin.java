package io.culvert.engine.serveradmin;

import static io.culvert.engine.serveradmin.ServerFiles.failure;

import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerAdmin;
import io.culvert.engine.api.ServerEdit;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoreFiles;
import io.culvert.engine.store.StoredServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-process {@link ServerAdmin}: servers and their client-config-dir entries in the {@link Store}, each server's
 * config, ccd files and CA in {@code <serversDir>/<name>} ({@link ServerFiles}), started through the {@link Engine}
 * ({@link ServerRuns}), its certificates issued and revoked by {@link ServerCertificates}, backed up and restored by
 * {@link ServerBackups}. This class owns the config's life (create, edit, rename, delete) and the lock: thread-safe,
 * administrative changes are serialised.
 */
public final class LocalServerAdmin implements ServerAdmin {
    private final Store store;
    private final boolean ownsStore;
    private final InstantSource clock;
    private final ServerFiles files;
    private final ServerRuns runs;
    private final ServerCertificates certificates;
    private final ServerBackups backups;

    public LocalServerAdmin(Engine engine, Store store, Path serversDir, InstantSource clock, SecureRandom random) {
        this(engine, store, false, serversDir, clock, random);
    }

    private LocalServerAdmin(Engine engine, Store store, boolean ownsStore, Path serversDir, InstantSource clock,
            SecureRandom random) {
        this.store = store;
        this.ownsStore = ownsStore;
        this.clock = clock;
        this.files = new ServerFiles(store, serversDir);
        this.runs = new ServerRuns(engine, files, clock);
        this.certificates = new ServerCertificates(files, runs, clock, random);
        this.backups = new ServerBackups(files, runs, random);
    }

    /** Opens the store in {@code dataDir} ({@code culvert.db}) and keeps servers in {@code dataDir/servers}. */
    public static LocalServerAdmin open(Engine engine, Path dataDir, InstantSource clock) {
        Store store = Store.open(dataDir.resolve(StoreFiles.DB_FILE), clock);
        return new LocalServerAdmin(engine, store, true, dataDir.resolve("servers"), clock, new SecureRandom());
    }

    @Override
    public synchronized ServerSpec create(ServerSpec spec) throws EngineException {
        if (store.servers().find(spec.name()).isPresent()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a server named '" + spec.name() + "' already exists");
        }
        Path dir = files.dir(spec.name());
        try {
            PrivateFiles.deleteRecursively(dir); // leftovers of a create that did not finish
            Files.createDirectories(dir.resolve("ccd"));
            certificates.init(spec.name(), dir);
            String config = ServerConfigText.render(spec);
            ServerConfig.from(OvpnFile.parse(config), dir, false);
            Files.writeString(dir.resolve("server.conf"), config);
            store.servers().add(spec.name(), config, dir.resolve("pki").toString());
            files.setPublicHost(spec.name(), spec.publicHost());
            return spec;
        } catch (IOException | OvpnParseException | StoreException | IllegalArgumentException e) {
            try {
                PrivateFiles.deleteRecursively(dir);
            } catch (IOException ignored) {
                // the next create cleans up
            }
            throw failure(e);
        }
    }

    @Override
    public List<ServerSpec> servers() throws EngineException {
        List<ServerSpec> out = new ArrayList<>();
        for (StoredServer s : store.servers().list()) {
            out.add(files.spec(s));
        }
        return out;
    }

    @Override
    public synchronized void delete(String server) throws EngineException {
        stop(server);
        store.servers().delete(server);
        files.forgetPublicHost(server);
        runs.forget(server);
        try {
            PrivateFiles.deleteRecursively(files.dir(server));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized ServerEdit edit(ServerSpec spec) throws EngineException {
        StoredServer s = files.stored(spec.name());
        ServerSpec old = files.spec(s);
        Path dir = files.dir(spec.name());
        String config = ServerConfigText.render(spec);
        boolean changed = !config.equals(s.configText());
        try {
            ServerConfig.from(OvpnFile.parse(config), dir, false);
            if (changed) {
                store.servers().update(spec.name(), config, s.pkiRef());
                Files.writeString(dir.resolve("server.conf"), config);
            }
            files.setPublicHost(spec.name(), spec.publicHost());
        } catch (IOException | OvpnParseException | StoreException | IllegalArgumentException e) {
            throw failure(e);
        }
        List<String> reasons = ServerEdits.reimportReasons(old, spec);
        ServerLog log = runs.log(spec.name());
        log.note(clock.instant(), "settings saved" + (reasons.isEmpty() ? "" : "; clients must re-import: " + String.join("; ", reasons)));
        boolean restart = changed && running(spec.name()).isPresent();
        if (restart) {
            stop(spec.name());
            try {
                runs.startWith(spec.name(), log);
            } catch (EngineException e) {
                throw new EngineException(e.kind(), "the settings are saved, but the server did not start again: " + e.getMessage(), e);
            }
        }
        return new ServerEdit(spec, restart, reasons);
    }

    @Override
    public synchronized ServerSpec rename(String server, String newName) throws EngineException {
        StoredServer s = files.stored(server);
        if (!ServerSpec.isValidName(newName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "invalid server name '" + newName + "'");
        }
        if (newName.equals(server)) {
            return files.spec(s);
        }
        if (store.servers().find(newName).isPresent()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a server named '" + newName + "' already exists");
        }
        boolean wasRunning = running(server).isPresent();
        stop(server);
        Path from = files.dir(server);
        Path to = files.dir(newName);
        String config = ServerEdits.renamedConfig(s.configText(), newName);
        try {
            PrivateFiles.deleteRecursively(to); // leftovers of a create that did not finish
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            try {
                store.servers().rename(server, newName, config, to.resolve("pki").toString());
            } catch (StoreException | OvpnParseException e) {
                Files.move(to, from, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            Files.writeString(to.resolve("server.conf"), config);
        } catch (IOException | OvpnParseException | StoreException e) {
            throw failure(e);
        }
        files.setPublicHost(newName, files.publicHost(server));
        files.forgetPublicHost(server);
        ServerLog log = runs.renamed(server, newName);
        log.note(clock.instant(), "renamed from " + server + " to " + newName);
        if (wasRunning) {
            runs.startWith(newName, log);
        }
        return files.spec(files.stored(newName));
    }

    @Override
    public byte[] backup(String server, char[] passphrase) throws EngineException {
        Map<String, byte[]> entries;
        synchronized (this) {
            entries = backups.entries(server);
        }
        return backups.seal(entries, passphrase);
    }

    @Override
    public synchronized ServerSpec restore(byte[] backup, char[] passphrase, String asName) throws EngineException {
        return backups.restore(backup, passphrase, asName);
    }

    @Override
    public synchronized ServerHandle start(String server, EngineListener listener) throws EngineException {
        return runs.start(server, listener);
    }

    @Override
    public Optional<ServerHandle> running(String server) {
        return runs.running(server);
    }

    @Override
    public synchronized void stop(String server) throws EngineException {
        runs.stop(server);
    }

    @Override
    public List<String> log(String server) {
        return runs.lines(server);
    }

    @Override
    public synchronized ClientCertificate issueClient(String server, String commonName) throws EngineException {
        return certificates.issueClient(server, commonName);
    }

    @Override
    public List<ClientCertificate> clients(String server) throws EngineException {
        return certificates.clients(server);
    }

    @Override
    public ClientNetwork clientNetwork(String server, String commonName) throws EngineException {
        String text = files.stored(server).ccd().get(commonName);
        try {
            return text == null ? ClientNetwork.NONE : CcdText.parse(text);
        } catch (OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized String setClientNetwork(String server, String commonName, ClientNetwork network) throws EngineException {
        StoredServer s = files.stored(server);
        if (!Pki.isSafeCommonName(commonName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "invalid common name '" + commonName + "'");
        }
        try {
            String text = CcdText.render(files.spec(s), network);
            Path file = files.dir(server).resolve("ccd").resolve(commonName);
            if (text.isEmpty()) {
                store.servers().removeCcd(server, commonName);
                Files.deleteIfExists(file);
            } else {
                store.servers().putCcd(server, commonName, text);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            }
            runs.tellRunning(server, ServerFileUpdate.ccdEntry(commonName, text), "the client-config-dir entry of " + commonName);
            // A connected client gets its new routes now (PUSH_UPDATE), when it announced support; others at reconnect.
            int updated = running(server).map(h -> h.refreshClientRoutes(commonName)).orElse(0);
            if (updated > 0) {
                runs.note(server, "routes of " + commonName + " sent to " + updated + " connected client(s) (PUSH_UPDATE)");
            }
            return text;
        } catch (IOException | OvpnParseException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public String exportProfile(String server, String commonName) throws EngineException {
        return certificates.exportProfile(server, commonName);
    }

    @Override
    public synchronized ClientCertificate revoke(String server, String commonName) throws EngineException {
        return certificates.revoke(server, commonName);
    }

    @Override
    public void close() {
        synchronized (this) {
            runs.stopAll();
        }
        if (ownsStore) {
            store.close();
        }
    }
}
