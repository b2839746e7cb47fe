package io.culvert.engine.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a certificate is "about to expire" ({@link #WARN_WITHIN}, the one threshold), and when a profile's own
 * certificate expires: the first certificate of the profile's inline {@code <cert>} block (profiles are stored with
 * their files inlined). Stateless.
 */
public final class CertificateExpiry {
    /**
     * How early Culvert warns, everywhere (the app's notifications and banners, the server manager's "expires soon",
     * {@code culvert pki list}): 30 days before a certificate's notAfter. Renewing is not the holder's own act: an
     * admin issues a new certificate and gets a new profile to each user, which takes longer than a few days when
     * people are away; 30 days is also the renewal window certbot uses for TLS certificates.
     */
    public static final Duration WARN_WITHIN = Duration.ofDays(30);

    private static final Pattern CERT_BLOCK = Pattern.compile("(?ms)^\\s*<cert>\\s*$(.*?)^\\s*</cert>\\s*$");
    private static final Pattern PEM = Pattern.compile("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", Pattern.DOTALL);

    private CertificateExpiry() {}

    /** The notAfter of the profile's client certificate; empty when it has none inline or it cannot be read. */
    public static Optional<Instant> ofProfile(String profileText) {
        Matcher block = CERT_BLOCK.matcher(profileText);
        if (!block.find()) {
            return Optional.empty();
        }
        Matcher pem = PEM.matcher(block.group(1));
        if (!pem.find()) {
            return Optional.empty();
        }
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.group().getBytes(StandardCharsets.US_ASCII)));
            return Optional.of(c.getNotAfter().toInstant());
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** True when {@code notAfter} is within {@link #WARN_WITHIN} of {@code now}, or already past. */
    public static boolean isSoon(Instant notAfter, Instant now) {
        return notAfter.isBefore(now.plus(WARN_WITHIN));
    }
}
