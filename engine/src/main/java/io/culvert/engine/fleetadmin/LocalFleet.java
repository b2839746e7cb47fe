package io.culvert.engine.fleetadmin;

import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.api.FleetView;
import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.pki.CertKind;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.ExportOptions;
import io.culvert.engine.pki.IssuedCert;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.pki.UnifiedProfile;
import io.culvert.engine.store.FleetCertificate;
import io.culvert.engine.store.FleetFlow;
import io.culvert.engine.store.FleetRemoteFlow;
import io.culvert.engine.store.FleetInstance;
import io.culvert.engine.store.FleetRepository;
import io.culvert.engine.store.FleetRevocation;
import io.culvert.engine.store.FleetServer;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fleet opened on this admin machine (issue 15): the registry, live state, issued certificates and revocations in
 * PostgreSQL through {@link FleetRepository}; the fleet CA's key in an easy-rsa-like folder under
 * {@code <data>/fleets/<fingerprint>/pki}, never in the database (ADR 0054). Thread-safe (issuing and revoking are
 * serialised).
 */
final class LocalFleet implements Fleet {
    /** The CA's name; its fingerprint names the folder that holds its key. */
    static final String CA_NAME = "Culvert fleet CA";
    /** The server certificate {@link Pki#init} issues with the CA, for the admin to copy to the fleet's servers. */
    static final String SERVER_CN = "fleet-server";
    /** Where a server that registered no address is dialled: OpenVPN's default port. */
    private static final int DEFAULT_PORT = 1194;

    private final String url;
    private final Store store;
    private final FleetRepository fleet;
    private final Path fleetsDir;
    private final InstantSource clock;
    private final SecureRandom random;

    LocalFleet(String url, Store store, Path fleetsDir, InstantSource clock, SecureRandom random) {
        this.url = url;
        this.store = store;
        this.fleet = store.fleet();
        this.fleetsDir = fleetsDir;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public FleetView view() throws EngineException {
        try {
            Instant now = clock.instant();
            List<FleetServer> servers = fleet.servers();
            Map<String, List<InstanceInfo>> instances = new HashMap<>();
            for (FleetInstance i : fleet.instances()) {
                instances.computeIfAbsent(i.server(), k -> new ArrayList<>()).add(InstanceInfo.builder(i.peerId(), i.commonName())
                        .realAddress(i.realAddress()).virtualAddresses(i.virtualAddresses()).connectedSince(i.connectedAt())
                        .bytes(i.bytesIn(), i.bytesOut()).build());
            }
            Map<String, List<FlowEdge>> flows = new HashMap<>();
            for (FleetFlow f : fleet.flows()) {
                flows.computeIfAbsent(f.server(), k -> new ArrayList<>())
                        .add(new FlowEdge(f.source(), f.destination(), f.kind(), f.packets(), f.bytes()));
            }
            Map<String, List<FleetView.RemoteFlow>> remote = new HashMap<>();
            for (FleetRemoteFlow f : fleet.remoteFlows()) {
                remote.computeIfAbsent(f.server(), k -> new ArrayList<>())
                        .add(new FleetView.RemoteFlow(f.source(), f.destination(), f.packets(), f.bytes()));
            }
            List<FleetView.Server> out = new ArrayList<>();
            for (FleetServer s : servers) {
                out.add(new FleetView.Server(s.name(), s.heartbeatAt(), FleetView.Health.of(s.heartbeatAt(), now), s.pools(),
                        instances.getOrDefault(s.name(), List.of()), flows.getOrDefault(s.name(), List.of()),
                        remote.getOrDefault(s.name(), List.of()), s.remotes()));
            }
            return new FleetView(now, out);
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public List<ClientCertificate> clients() throws EngineException {
        try {
            Map<BigInteger, Instant> revoked = new HashMap<>();
            for (FleetRevocation r : fleet.revocations()) {
                revoked.put(r.serial(), r.revokedAt());
            }
            return fleet.issued().stream().map(c -> new ClientCertificate(c.commonName(), hex(c.serial()), c.issuedAt(), c.notAfter(),
                    revoked.get(c.serial()))).toList();
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized ClientCertificate issueClient(String commonName) throws EngineException {
        if (!Pki.isSafeCommonName(commonName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "invalid common name '" + commonName + "'");
        }
        try {
            Instant now = clock.instant();
            boolean taken = clients().stream().anyMatch(c -> c.commonName().equals(commonName) && !c.revoked() && now.isBefore(c.notAfter()));
            if (taken) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "'" + commonName + "' already has a valid fleet certificate (revoke it first)");
            }
            Pki pki = pki();
            IssuedCert e = pki.issue(commonName, CertKind.CLIENT, Pki.DEFAULT_CERT_DAYS);
            fleet.recordIssued(new FleetCertificate(e.serial(), commonName, e.notBefore(), e.notAfter(),
                    pki.credentials(commonName).certificatePem()));
            return new ClientCertificate(commonName, hex(e.serial()), e.notBefore(), e.notAfter(), null);
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized ClientCertificate revoke(String commonName) throws EngineException {
        try {
            Instant now = clock.instant();
            ClientCertificate last = null;
            for (ClientCertificate c : clients()) {
                if (c.commonName().equals(commonName) && !c.revoked()) {
                    FleetRevocation r = fleet.revoke(new BigInteger(c.serialHex(), 16), commonName, now);
                    last = new ClientCertificate(c.commonName(), c.serialHex(), c.notBefore(), c.notAfter(), r.revokedAt());
                }
            }
            if (last == null) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "'" + commonName + "' has no unrevoked fleet certificate");
            }
            // The CA's own index and CRL follow, where the key is on this machine (the database is what servers enforce).
            Path dir = caDir();
            if (dir != null && new DirectoryPkiStore(dir).index().stream().anyMatch(e -> e.commonName().equals(commonName) && !e.revoked())) {
                new Pki(new DirectoryPkiStore(dir), clock, random).revoke(commonName, io.culvert.engine.pki.RevokeReason.CESSATION_OF_OPERATION);
            }
            return last;
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    @Override
    public String exportProfile(String commonName, boolean remoteRandom) throws EngineException {
        try {
            Pki pki = existingPki();
            IssuedCert latest = pki.latest(commonName)
                    .orElseThrow(() -> new IOException("no fleet certificate was issued to '" + commonName + "' on this machine"));
            if (latest.revoked() || latest.kind() != CertKind.CLIENT || fleet.revocations().stream().anyMatch(r -> r.serial().equals(latest.serial()))) {
                throw new IOException("'" + commonName + "' has no valid fleet certificate");
            }
            List<UnifiedProfile.Remote> remotes = remotes(fleet.servers(), clock.instant());
            if (remotes.isEmpty()) {
                throw new IOException("no server has registered with the fleet yet");
            }
            return UnifiedProfile.renderRemotes(ExportOptions.defaults(remotes.getFirst().host()), remotes, remoteRandom, pki.caPem(),
                    pki.credentials(commonName), pki.staticKey(io.culvert.engine.pki.PkiStore.StaticKeyKind.TLS_CRYPT));
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    /**
     * Every server's registered addresses in registry (name) order, those of servers down at {@code now} last: a server
     * the registry has not heard from may still be serving (it keeps serving while its database link is away), so it
     * stays in the profile as a last resort rather than leaving. A server that registered none (it last ran before they
     * were kept) is dialled by its name on OpenVPN's default port and protocol.
     */
    static List<UnifiedProfile.Remote> remotes(List<FleetServer> servers, Instant now) {
        List<UnifiedProfile.Remote> up = new ArrayList<>();
        List<UnifiedProfile.Remote> down = new ArrayList<>();
        for (FleetServer s : servers) {
            List<FleetRemote> rs = s.remotes().isEmpty() ? List.of(new FleetRemote(s.name(), DEFAULT_PORT, "udp")) : s.remotes();
            List<UnifiedProfile.Remote> to = FleetView.Health.of(s.heartbeatAt(), now) == FleetView.Health.DOWN ? down : up;
            for (FleetRemote r : rs) {
                to.add(new UnifiedProfile.Remote(r.host(), r.port(), r.proto()));
            }
        }
        up.addAll(down);
        return up;
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * The fleet CA on this machine: the folder named by the published CA certificate's fingerprint. Without a published
     * CA one is created here and published (a second admin machine racing us loses at publishCa and deletes its own).
     */
    private Pki pki() throws IOException, EngineException {
        if (fleet.ca().isPresent()) {
            return existingPki();
        }
        PrivateFiles.createDirectories(fleetsDir);
        Path fresh = Files.createTempDirectory(fleetsDir, "new-");
        try {
            Pki pki = new Pki(new DirectoryPkiStore(fresh.resolve("pki")), clock, random);
            pki.init(CA_NAME, KeyAlgorithm.EC_P256, Pki.DEFAULT_CA_DAYS, SERVER_CN, Pki.DEFAULT_CERT_DAYS);
            String pem = pki.caPem();
            fleet.publishCa(pem, clock.instant());
            Path home = fleetsDir.resolve(fingerprint(pem));
            Files.move(fresh, home);
            return new Pki(new DirectoryPkiStore(home.resolve("pki")), clock, random);
        } catch (IOException | RuntimeException e) {
            PrivateFiles.deleteRecursively(fresh);
            throw e;
        }
    }

    private Pki existingPki() throws IOException, EngineException {
        Path dir = caDir();
        if (dir == null) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, fleet.ca().isPresent()
                    ? "the fleet's CA key is not on this machine: it stays on the admin machine that created it (copy its folder "
                            + fleetsDir.resolve(fingerprint(fleet.ca().get())) + " here to issue from this one)"
                    : "the fleet has no CA yet: issue a certificate to create it");
        }
        return new Pki(new DirectoryPkiStore(dir), clock, random);
    }

    /** The PKI folder of the published CA on this machine, or null. */
    private Path caDir() {
        return fleet.ca().map(pem -> fleetsDir.resolve(fingerprint(pem)).resolve("pki"))
                .filter(p -> Files.isRegularFile(p.resolve("ca.key"))).orElse(null);
    }

    /** The first 16 bytes of the SHA-256 of the CA's PEM, in hex. */
    static String fingerprint(String pem) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(pem.strip().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    private static EngineException failure(Exception e) {
        if (e instanceof EngineException ee) {
            return ee;
        }
        ErrorKind kind = !(e instanceof StoreException s) ? ErrorKind.CONFIG_INVALID : switch (s.kind()) {
            case IO -> ErrorKind.NETWORK_UNREACHABLE;
            case DENIED -> ErrorKind.PERMISSION_DENIED; // a server's own role (ADR 0058) used to administer the fleet
            default -> ErrorKind.CONFIG_INVALID;
        };
        return new EngineException(kind, e.getMessage(), e);
    }
}
