package io.culvert.engine.config;

import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;

/**
 * The client's kill switch ({@code culvert-kill-switch [allow-lan]}, a Culvert directive): while the profile is active
 * or reconnecting, nothing leaves the machine but the tunnel's own traffic and the link to the server. Stock OpenVPN
 * has no such directive; written as {@code setenv opt culvert-kill-switch} it skips the line and keeps the rest.
 */
public enum KillSwitch {
    /** No kill switch (the default). */
    OFF,
    /** Everything but the tunnel and the server is refused. */
    ON,
    /** As {@link #ON}, and the local networks (RFC 1918, link-local, IPv6 ULA and link-local) stay reachable. */
    ALLOW_LAN;

    /** The directive's name. */
    public static final String DIRECTIVE = "culvert-kill-switch";

    /** Reads one {@code culvert-kill-switch} line; an unknown argument names the line. */
    static KillSwitch read(Directive d) throws OvpnParseException {
        if (d.args().isEmpty()) {
            return ON;
        }
        if (d.arg(0).equals("allow-lan")) {
            return ALLOW_LAN;
        }
        throw ArgValues.invalid(d, "'" + d.arg(0) + "' is not 'allow-lan' (culvert-kill-switch [allow-lan])");
    }
}
