package io.culvert.engine.config;

import java.util.List;

/**
 * The external scripts the server runs and the {@code script-security} level that allows them.
 * Null or empty fields are absent. Instances are immutable.
 *
 * @param scriptSecurity {@code script-security}
 * @param tmpDir {@code tmp-dir} resolved, or null
 * @param clientConnect {@code client-connect} command line, or null
 * @param clientDisconnect {@code client-disconnect} command line, or null
 * @param learnAddress {@code learn-address} command and arguments, or empty
 * @param x509Track {@code x509-track} names in order, each with its {@code +} (whole chain) if given: the
 *                  certificate fields the scripts see as {@code X509_<depth>_<name>}
 */
public record Scripts(int scriptSecurity, String tmpDir, String clientConnect, String clientDisconnect,
                      List<String> learnAddress, List<String> x509Track) {
    /** {@code script-security 1}, no scripts. */
    public static final Scripts DEFAULTS = new Scripts(1, null, null, null, List.of(), List.of());

    public Scripts {
        learnAddress = List.copyOf(learnAddress);
        x509Track = List.copyOf(x509Track);
    }

    /** Without {@code x509-track}. */
    public Scripts(int scriptSecurity, String tmpDir, String clientConnect, String clientDisconnect,
                   List<String> learnAddress) {
        this(scriptSecurity, tmpDir, clientConnect, clientDisconnect, learnAddress, List.of());
    }
}
