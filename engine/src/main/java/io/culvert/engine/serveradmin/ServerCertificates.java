package io.culvert.engine.serveradmin;

import static io.culvert.engine.serveradmin.ServerFiles.failure;

import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerFileUpdate;
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
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoredServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Each managed server's CA in {@code <server>/pki} ({@link Pki} over a {@link DirectoryPkiStore}): issuing, listing and
 * revoking client certificates, and a client's unified profile. Issued and revoked certificates are also recorded in
 * the store's certificate register. Not thread-safe; {@link LocalServerAdmin} serialises changes.
 */
final class ServerCertificates {
    private final ServerFiles files;
    private final ServerRuns runs;
    private final InstantSource clock;
    private final SecureRandom random;

    ServerCertificates(ServerFiles files, ServerRuns runs, InstantSource clock, SecureRandom random) {
        this.files = files;
        this.runs = runs;
        this.clock = clock;
        this.random = random;
    }

    /** Makes the CA of a new server in {@code dir}, with the server's own certificate. */
    void init(String server, Path dir) throws IOException {
        new Pki(new DirectoryPkiStore(dir.resolve("pki")), clock, random)
                .init("Culvert CA " + server, KeyAlgorithm.EC_P256, Pki.DEFAULT_CA_DAYS, ServerConfigText.SERVER_CN,
                        Pki.DEFAULT_CERT_DAYS);
    }

    ClientCertificate issueClient(String server, String commonName) throws EngineException {
        files.stored(server);
        if (ServerConfigText.SERVER_CN.equals(commonName)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "'" + commonName + "' is the server's own name");
        }
        try {
            Pki pki = pki(server);
            IssuedCert e = pki.issue(commonName, CertKind.CLIENT, Pki.DEFAULT_CERT_DAYS);
            files.store().certificates().add(new IssuedCertificate(server, e.serial(), commonName, e.notBefore(),
                    e.notAfter(), null, pki.credentials(commonName).certificatePem()));
            return toApi(e);
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    List<ClientCertificate> clients(String server) throws EngineException {
        files.stored(server);
        return files.store().certificates().list(server).stream()
                .map(c -> new ClientCertificate(c.commonName(), c.serial().toString(16).toUpperCase(Locale.ROOT),
                        c.notBefore(), c.notAfter(), c.revokedAt()))
                .toList();
    }

    String exportProfile(String server, String commonName) throws EngineException {
        StoredServer s = files.stored(server);
        try {
            Pki pki = pki(server);
            IssuedCert latest = pki.latest(commonName)
                    .orElseThrow(() -> new IOException("no certificate was issued to '" + commonName + "'"));
            if (latest.revoked() || latest.kind() != CertKind.CLIENT) {
                throw new IOException("'" + commonName + "' has no valid client certificate");
            }
            ServerConfig cfg = ServerConfig.from(OvpnFile.parse(s.configText()), files.dir(server), false);
            ExportOptions o = ExportOptions.forServer(cfg, files.publicHost(server));
            return UnifiedProfile.render(o, pki.caPem(), pki.credentials(commonName), o.wrapKey());
        } catch (IOException | OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    /** Revokes every certificate of {@code commonName} and hands a running server the new CRL. */
    ClientCertificate revoke(String server, String commonName) throws EngineException {
        files.stored(server);
        try {
            List<IssuedCert> revoked = pki(server).revoke(commonName, RevokeReason.CESSATION_OF_OPERATION);
            for (IssuedCert e : revoked) {
                if (files.store().certificates().find(server, e.serial()).isPresent()) {
                    files.store().certificates().revoke(server, e.serial(), e.revokedAt());
                }
            }
            runs.note(server, "revoked the certificate of " + commonName);
            ClientCertificate result = toApi(revoked.getLast());
            Optional<String> crl = new DirectoryPkiStore(files.dir(server).resolve("pki")).crl();
            if (crl.isPresent()) {
                runs.tellRunning(server, ServerFileUpdate.crl(crl.get()), "the new CRL");
            }
            return result;
        } catch (IOException | IllegalArgumentException | StoreException e) {
            throw failure(e);
        }
    }

    private Pki pki(String server) {
        return new Pki(new DirectoryPkiStore(files.dir(server).resolve("pki")), clock, random);
    }

    private static ClientCertificate toApi(IssuedCert e) {
        return new ClientCertificate(e.commonName(), e.serialHex(), e.notBefore(), e.notAfter(), e.revokedAt());
    }
}
