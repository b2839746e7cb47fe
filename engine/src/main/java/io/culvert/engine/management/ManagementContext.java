package io.culvert.engine.management;

import java.time.InstantSource;
import java.time.ZoneId;

/**
 * What every management connection shares. Immutable (the parts it refers to are thread-safe).
 *
 * @param password the password connections must give first (bytes of the file's first line), or null
 * @param version Culvert's version, for {@code version} and the status title
 */
public record ManagementContext(EventJournal journal, ManagementTarget target, HoldGate hold, byte[] password,
        long pid, String version, InstantSource clock, ZoneId zone) {

    /** The product line {@code version} and {@code status 2|3} print. */
    public String title() {
        return "OpenVPN 2.6 compatible Culvert " + version + " [SSL (JSSE)] [AEAD]";
    }
}
