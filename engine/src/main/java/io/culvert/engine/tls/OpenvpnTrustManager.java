package io.culvert.engine.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Validates the peer chain against the configured CA certificates (no hostname check, as in OpenVPN),
 * then applies {@link PeerVerification}. Thread-safe.
 */
final class OpenvpnTrustManager extends X509ExtendedTrustManager {
    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final List<X509Certificate> caCerts;
    private final PeerVerification verification;
    private final Revocation revocation;

    OpenvpnTrustManager(List<X509Certificate> caCerts, PeerVerification verification, Revocation revocation) {
        this.caCerts = caCerts;
        this.verification = verification;
        this.revocation = revocation;
        for (X509Certificate ca : caCerts) {
            anchors.add(new TrustAnchor(ca, null));
        }
    }

    private void validate(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer sent no certificate");
        }
        List<X509Certificate> verified;
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            // A peer that also sends its CA would make PKIX see the anchor inside the path; drop it.
            List<X509Certificate> path = Arrays.stream(chain).filter(c -> !caCerts.contains(c)).toList();
            if (path.isEmpty()) {
                path = List.of(chain[0]);
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            var result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(cf.generateCertPath(path), params);
            verified = new ArrayList<>(path);
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            if (anchor != null && !verified.contains(anchor)) {
                verified.add(anchor);
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate verify failed: " + e.getMessage(), e);
        }
        verification.check(chain[0]);
        revocation.checkChain(verified);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        validate(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        validate(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        validate(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        validate(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        validate(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        validate(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return caCerts.toArray(X509Certificate[]::new);
    }
}
