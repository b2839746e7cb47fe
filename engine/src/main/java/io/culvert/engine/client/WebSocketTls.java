package io.culvert.engine.client;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.tls.PemReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a {@code wss} remote (ADR 0042): the JDK's default context (its trust store) or one trusting only the CA
 * certificates of {@code culvert-websocket-ca}. The dialer adds the host-name check and SNI. Stateless.
 */
final class WebSocketTls {
    /** Largest CA file read. */
    private static final long MAX_CA_BYTES = 1 << 20;

    private WebSocketTls() {}

    static SSLSocketFactory factory(String caFile) throws EngineException {
        return factory(caFile, null);
    }

    /**
     * As {@link #factory(String)}, offering {@code identity} (the profile's certificate and key; null: none) when the
     * proxy asks for a client certificate (nginx {@code ssl_verify_client}, ADR 0050).
     */
    static SSLSocketFactory factory(String caFile, javax.net.ssl.X509KeyManager identity) throws EngineException {
        javax.net.ssl.KeyManager[] keys = identity == null ? null : new javax.net.ssl.KeyManager[] {identity};
        try {
            if (caFile == null) {
                if (keys == null) {
                    return SSLContext.getDefault().getSocketFactory();
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(keys, null, null);
                return ctx.getSocketFactory();
            }
            Path p = Path.of(caFile);
            if (Files.size(p) > MAX_CA_BYTES) {
                throw new IOException("larger than " + MAX_CA_BYTES + " bytes");
            }
            List<X509Certificate> cas = PemReader.certificates(Files.readString(p));
            if (cas.isEmpty()) {
                throw new IOException("no certificate in it");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "culvert-websocket-ca " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "cannot set up TLS for the WebSocket remote: "
                    + e.getMessage(), e);
        }
    }
}
