package io.culvert.engine.server;

import io.culvert.engine.tls.TlsSettings.ClientCerts;
import java.util.List;

/**
 * How a server decides who a client is beyond the TLS handshake. Instances are immutable.
 *
 * @param certificates {@code verify-client-cert}
 * @param passwords {@code auth-user-pass-verify}, or null when passwords are not checked
 * @param passwordOptional {@code auth-user-pass-optional}: a client that sends no username is not checked
 * @param usernameAsCommonName {@code username-as-common-name}: once checked, the username names the client
 * @param usernameFields {@code x509-username-field}: the certificate fields that name the client (joined by {@code _})
 */
public record ClientAuth(ClientCerts certificates, PasswordCheck passwords, boolean passwordOptional,
        boolean usernameAsCommonName, List<String> usernameFields) {

    public ClientAuth {
        usernameFields = List.copyOf(usernameFields);
    }

    /** With the common name from the certificate's {@code CN}. */
    public ClientAuth(ClientCerts certificates, PasswordCheck passwords, boolean passwordOptional, boolean usernameAsCommonName) {
        this(certificates, passwords, passwordOptional, usernameAsCommonName, List.of("CN"));
    }

    /** Certificates only: OpenVPN's default. */
    public static ClientAuth certificatesOnly() {
        return new ClientAuth(ClientCerts.REQUIRE, null, false, false);
    }
}
