package io.culvert.engine.server;

import io.culvert.engine.tls.TlsSettings.ClientCerts;

/**
 * How a server decides who a client is beyond the TLS handshake. Instances are immutable.
 *
 * @param certificates {@code verify-client-cert}
 * @param passwords {@code auth-user-pass-verify}, or null when passwords are not checked
 * @param passwordOptional {@code auth-user-pass-optional}: a client that sends no username is not checked
 * @param usernameAsCommonName {@code username-as-common-name}: once checked, the username names the client
 */
public record ClientAuth(ClientCerts certificates, PasswordCheck passwords, boolean passwordOptional,
        boolean usernameAsCommonName) {

    /** Certificates only: OpenVPN's default. */
    public static ClientAuth certificatesOnly() {
        return new ClientAuth(ClientCerts.REQUIRE, null, false, false);
    }
}
