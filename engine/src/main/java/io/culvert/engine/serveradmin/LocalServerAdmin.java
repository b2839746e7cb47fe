package io.culvert.engine.serveradmin;

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
import io.culvert.engine.pki.CertKind;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.ExportOptions;
import io.culvert.engine.pki.IssuedCert;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.pki.RevokeReason;
import io.culvert.engine.pki.UnifiedProfile;
import io.culvert.engine.store.IssuedCertificate;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The in-process {@link ServerAdmin}: servers and their client-config-dir entries in the {@link Store}, each
 * server's CA in {@code <serversDir>/<name>/pki} ({@link Pki} over a {@link DirectoryPkiStore}), its config and
 * ccd files beside it, and started through the {@link Engine}. Issued and revoked certificates are also recorded
 * in the store's certificate register. Thread-safe: administrative changes are serialised.
 */
public final class LocalServerAdmin implements ServerAdmin {
    private static final String PUBLIC_HOST = ".public-host";

    private final Engine engine;
    private final Store store;
    private final boolean ownsStore;
    private final Path serversDir;
    private final InstantSource clock;
    private final SecureRandom random;
    private final Map<String, ServerHandle> running = new ConcurrentHashMap<>();
    private final Map<String, ServerLog> logs = new ConcurrentHashMap<>();

    public LocalServerAdmin(Engine engine, Store store, Path serversDir, InstantSource clock, SecureRandom random) {
        this(engine, store, false, serversDir, clock, random);
    }

    private LocalServerAdmin(Engine engine, Store store, boolean ownsStore, Path serversDir, InstantSource clock,
            SecureRandom random) {
        this.engine = engine;
        this.store = store;
        this.ownsStore = ownsStore;
        this.serversDir = serversDir.toAbsolutePath();
        this.clock = clock;
        this.random = random;
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
        Path dir = dir(spec.name());
        try {
            PrivateFiles.deleteRecursively(dir); // leftovers of a create that did not finish
            Files.createDirectories(dir.resolve("ccd"));
            new Pki(new DirectoryPkiStore(dir.resolve("pki")), clock, random)
                    .init("Culvert CA " + spec.name(), KeyAlgorithm.EC_P256, Pki.DEFAULT_CA_DAYS, ServerConfigText.SERVER_CN,
                            Pki.DEFAULT_CERT_DAYS);
            String config = ServerConfigText.render(spec);
            ServerConfig.from(OvpnFile.parse(config), dir, false);
            Files.writeString(dir.resolve("server.conf"), config);
            store.servers().add(spec.name(), config, dir.resolve("pki").toString());
            store.settings().put(key(spec.name()), spec.publicHost());
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
            out.add(spec(s));
        }
        return out;
    }

    @Override
    public synchronized void delete(String server) throws EngineException {
        stop(server);
        store.servers().delete(server);
        store.settings().remove(key(server));
        logs.remove(server);
        try {
            PrivateFiles.deleteRecursively(dir(server));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized ServerEdit edit(ServerSpec spec) throws EngineException {
        StoredServer s = stored(spec.name());
        ServerSpec old = spec(s);
        Path dir = dir(spec.name());
        String config = ServerConfigText.render(spec);
        boolean changed = !config.equals(s.configText());
        try {
            ServerConfig.from(OvpnFile.parse(config), dir, false);
            if (changed) {
                store.servers().update(spec.name(), config, s.pkiRef());
                Files.writeString(dir.resolve("server.conf"), config);
            }
            store.settings().put(key(spec.name()), spec.publicHost());
        } catch (IOException | OvpnParseException | StoreException | IllegalArgumentException e) {
            throw failure(e);
        }
        List<String> reasons = ServerEdits.reimportReasons(old, spec);
        ServerLog log = logs.computeIfAbsent(spec.name(), n -> new ServerLog());
        log.note(clock.instant(), "settings saved" + (reasons.isEmpty() ? "" : "; clients must re-import: " + String.join("; ", reasons)));
        boolean restart = changed && running(spec.name()).isPresent();
        if (restart) {
            stop(spec.name());
            try {
                startWith(spec.name(), log);
            } catch (EngineException e) {
                throw new EngineException(e.kind(), "the settings are saved, but the server did not start again: " + e.getMessage(), e);
            }
        }
        return new ServerEdit(spec, restart, reasons);
    }

    @Override
    public synchronized ServerSpec rename(String server, String newName) throws EngineException {
        StoredServer s = stored(server);
        if (!ServerSpec.isValidName(newName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "invalid server name '" + newName + "'");
        }
        if (newName.equals(server)) {
            return spec(s);
        }
        if (store.servers().find(newName).isPresent()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a server named '" + newName + "' already exists");
        }
        boolean wasRunning = running(server).isPresent();
        stop(server);
        Path from = dir(server);
        Path to = dir(newName);
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
        store.settings().put(key(newName), publicHost(server));
        store.settings().remove(key(server));
        ServerLog log = logs.remove(server);
        if (log == null) {
            log = new ServerLog();
        }
        logs.put(newName, log);
        log.note(clock.instant(), "renamed from " + server + " to " + newName);
        if (wasRunning) {
            startWith(newName, log);
        }
        return spec(stored(newName));
    }

    @Override
    public byte[] backup(String server, char[] passphrase) throws EngineException {
        StoredServer s;
        Map<String, byte[]> entries;
        synchronized (this) {
            s = stored(server);
            try {
                entries = ServerEdits.backupEntries(s, publicHost(server), store.certificates().list(server), dir(server));
            } catch (IOException | StoreException e) {
                throw failure(e);
            }
        }
        try {
            return BackupFile.seal(entries, passphrase, random);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            entries.replaceAll((k, v) -> {
                java.util.Arrays.fill(v, (byte) 0);
                return v;
            });
        }
    }

    @Override
    public synchronized ServerSpec restore(byte[] backup, char[] passphrase, String asName) throws EngineException {
        ServerEdits.Restored r;
        try {
            r = ServerEdits.restored(BackupFile.open(backup, passphrase), asName);
        } catch (BackupFile.BadBackupException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        String name = r.spec().name();
        if (store.servers().find(name).isPresent()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "a server named '" + name
                    + "' already exists; delete it or restore the backup under another name");
        }
        Path dir = dir(name);
        Path staging = serversDir.resolve(".restore-" + name);
        boolean added = false;
        try {
            PrivateFiles.deleteRecursively(staging);
            PrivateFiles.deleteRecursively(dir); // leftovers of a create that did not finish
            Files.createDirectories(serversDir);
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
            store.settings().put(key(name), r.spec().publicHost());
            for (Map.Entry<String, String> c : r.ccd().entrySet()) {
                store.servers().putCcd(name, c.getKey(), c.getValue());
            }
            for (IssuedCertificate c : r.certificates()) {
                store.certificates().add(new IssuedCertificate(name, c.serial(), c.commonName(), c.notBefore(), c.notAfter(),
                        c.revokedAt(), c.certPem()));
            }
            writeCcdFiles(stored(name));
        } catch (IOException | OvpnParseException | StoreException | IllegalArgumentException | EngineException e) {
            if (added) {
                store.servers().delete(name);
                store.settings().remove(key(name));
            }
            try {
                PrivateFiles.deleteRecursively(staging);
                PrivateFiles.deleteRecursively(dir);
            } catch (IOException ignored) {
                // the next create or restore cleans up
            }
            throw e instanceof EngineException ee ? ee : failure(e);
        }
        logs.computeIfAbsent(name, n -> new ServerLog()).note(clock.instant(), "restored from a backup");
        return r.spec();
    }

    @Override
    public synchronized ServerHandle start(String server, EngineListener listener) throws EngineException {
        Optional<ServerHandle> already = running(server);
        if (already.isPresent()) {
            log(server, listener);
            return already.get();
        }
        return startWith(server, log(server, listener));
    }

    private ServerHandle startWith(String server, ServerLog log) throws EngineException {
        StoredServer s = stored(server);
        writeCcdFiles(s);
        ServerHandle handle;
        try {
            handle = engine.startServer(s.configText(), dir(server), log);
        } catch (EngineException e) {
            log.note(clock.instant(), "failed to start: " + e.getMessage());
            throw e;
        }
        running.put(server, handle);
        log.note(clock.instant(), "listening on " + handle.listenAddress());
        return handle;
    }

    @Override
    public Optional<ServerHandle> running(String server) {
        ServerHandle h = running.get(server);
        try {
            if (h != null && h.awaitStopped(0)) {
                running.remove(server, h);
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(h);
    }

    @Override
    public synchronized void stop(String server) throws EngineException {
        ServerHandle h = running.remove(server);
        if (h == null) {
            return;
        }
        h.stop();
        try {
            h.awaitStopped(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logs.computeIfAbsent(server, n -> new ServerLog()).note(clock.instant(), "stopped");
    }

    @Override
    public List<String> log(String server) {
        ServerLog log = logs.get(server);
        return log == null ? List.of() : log.lines();
    }

    @Override
    public synchronized ClientCertificate issueClient(String server, String commonName) throws EngineException {
        stored(server);
        if (ServerConfigText.SERVER_CN.equals(commonName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "'" + commonName + "' is the server's own name");
        }
        try {
            Pki pki = pki(server);
            IssuedCert e = pki.issue(commonName, CertKind.CLIENT, Pki.DEFAULT_CERT_DAYS);
            store.certificates().add(new IssuedCertificate(server, e.serial(), commonName, e.notBefore(), e.notAfter(), null,
                    pki.credentials(commonName).certificatePem()));
            return toApi(e);
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public List<ClientCertificate> clients(String server) throws EngineException {
        stored(server);
        return store.certificates().list(server).stream()
                .map(c -> new ClientCertificate(c.commonName(), c.serial().toString(16).toUpperCase(java.util.Locale.ROOT),
                        c.notBefore(), c.notAfter(), c.revokedAt()))
                .toList();
    }

    @Override
    public ClientNetwork clientNetwork(String server, String commonName) throws EngineException {
        String text = stored(server).ccd().get(commonName);
        try {
            return text == null ? ClientNetwork.NONE : CcdText.parse(text);
        } catch (OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized String setClientNetwork(String server, String commonName, ClientNetwork network) throws EngineException {
        StoredServer s = stored(server);
        if (!Pki.isSafeCommonName(commonName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "invalid common name '" + commonName + "'");
        }
        try {
            String text = CcdText.render(spec(s), network);
            Path file = dir(server).resolve("ccd").resolve(commonName);
            if (text.isEmpty()) {
                store.servers().removeCcd(server, commonName);
                Files.deleteIfExists(file);
            } else {
                store.servers().putCcd(server, commonName, text);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            }
            tellRunning(server, ServerFileUpdate.ccdEntry(commonName, text), "the client-config-dir entry of " + commonName);
            // A connected client gets its new routes now (PUSH_UPDATE), when it announced support; others at reconnect.
            int updated = running(server).map(h -> h.refreshClientRoutes(commonName)).orElse(0);
            if (updated > 0) {
                logs.computeIfAbsent(server, n -> new ServerLog()).note(clock.instant(),
                        "routes of " + commonName + " sent to " + updated + " connected client(s) (PUSH_UPDATE)");
            }
            return text;
        } catch (IOException | OvpnParseException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public String exportProfile(String server, String commonName) throws EngineException {
        StoredServer s = stored(server);
        try {
            Pki pki = pki(server);
            IssuedCert latest = pki.latest(commonName)
                    .orElseThrow(() -> new IOException("no certificate was issued to '" + commonName + "'"));
            if (latest.revoked() || latest.kind() != CertKind.CLIENT) {
                throw new IOException("'" + commonName + "' has no valid client certificate");
            }
            ServerConfig cfg = ServerConfig.from(OvpnFile.parse(s.configText()), dir(server), false);
            ExportOptions o = ExportOptions.forServer(cfg, publicHost(server));
            return UnifiedProfile.render(o, pki.caPem(), pki.credentials(commonName), o.wrapKey());
        } catch (IOException | OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized ClientCertificate revoke(String server, String commonName) throws EngineException {
        stored(server);
        try {
            List<IssuedCert> revoked = pki(server).revoke(commonName, RevokeReason.CESSATION_OF_OPERATION);
            for (IssuedCert e : revoked) {
                if (store.certificates().find(server, e.serial()).isPresent()) {
                    store.certificates().revoke(server, e.serial(), e.revokedAt());
                }
            }
            logs.computeIfAbsent(server, n -> new ServerLog()).note(clock.instant(), "revoked the certificate of " + commonName);
            ClientCertificate result = toApi(revoked.getLast());
            Optional<String> crl = new DirectoryPkiStore(dir(server).resolve("pki")).crl();
            if (crl.isPresent()) {
                tellRunning(server, ServerFileUpdate.crl(crl.get()), "the new CRL");
            }
            return result;
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public void close() {
        for (String name : List.copyOf(running.keySet())) {
            try {
                stop(name);
            } catch (EngineException e) {
                // stop does not fail for a running server
            }
        }
        if (ownsStore) {
            store.close();
        }
    }

    /**
     * Hands a running server the files just changed here. An in-process server re-reads them itself; one in culvertd
     * runs from copies, which must be refreshed or it would keep admitting a revoked client.
     */
    private void tellRunning(String server, ServerFileUpdate update, String what) throws EngineException {
        Optional<ServerHandle> h = running(server);
        if (h.isEmpty()) {
            return;
        }
        try {
            h.get().updateFiles(update);
        } catch (EngineException e) {
            logs.computeIfAbsent(server, n -> new ServerLog()).note(clock.instant(), "the running server did not get " + what
                    + ": " + e.getMessage() + " (restart it to apply)");
            throw new EngineException(e.kind(), "saved, but the running server did not get " + what + ": " + e.getMessage()
                    + "; restart the server to apply it", e);
        }
    }

    private ServerLog log(String server, EngineListener listener) {
        ServerLog log = logs.computeIfAbsent(server, n -> new ServerLog());
        log.forwardTo(listener);
        return log;
    }

    private StoredServer stored(String server) throws EngineException {
        return store.servers().find(server)
                .orElseThrow(() -> new EngineException(ErrorKind.CONFIG_INVALID, "no server named '" + server + "'"));
    }

    private ServerSpec spec(StoredServer s) throws EngineException {
        try {
            return ServerConfigText.parse(s.name(), s.configText(), publicHost(s.name()));
        } catch (OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    private String publicHost(String server) {
        return store.settings().get(key(server)).orElse("localhost");
    }

    private Pki pki(String server) {
        return new Pki(new DirectoryPkiStore(dir(server).resolve("pki")), clock, random);
    }

    private Path dir(String server) {
        if (!ServerSpec.isValidName(server)) {
            throw new IllegalArgumentException("invalid server name '" + server + "'");
        }
        return serversDir.resolve(server);
    }

    private void writeCcdFiles(StoredServer s) throws EngineException {
        Path ccd = dir(s.name()).resolve("ccd");
        try {
            Files.createDirectories(ccd);
            try (Stream<Path> old = Files.list(ccd)) {
                for (Path p : old.toList()) {
                    if (!s.ccd().containsKey(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
            for (Map.Entry<String, String> e : s.ccd().entrySet()) {
                Files.writeString(ccd.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static void createParents(Path root, Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        createParents(root, dir.getParent());
        PrivateFiles.createDirectory(dir);
    }

    private static String key(String server) {
        return "server." + server + PUBLIC_HOST;
    }

    private static ClientCertificate toApi(IssuedCert e) {
        return new ClientCertificate(e.commonName(), e.serialHex(), e.notBefore(), e.notAfter(), e.revokedAt());
    }

    private static EngineException failure(Exception e) {
        return new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
    }

}
