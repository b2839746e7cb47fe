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
 */
public record Scripts(int scriptSecurity, String tmpDir, String clientConnect, String clientDisconnect,
                      List<String> learnAddress) {
    /** {@code script-security 1}, no scripts. */
    public static final Scripts DEFAULTS = new Scripts(1, null, null, null, List.of());

    public Scripts {
        learnAddress = List.copyOf(learnAddress);
    }
}
