package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The stock OpenVPN 2.7 binary for a test that needs it in only some of its cases (where every case needs it,
 * {@link Openvpn27Test} says so for the class): {@link StockOpenvpn#openvpn27()}. Outside CI a case without it is
 * skipped saying why; with {@code CI=true} it fails. Stateless.
 */
final class Openvpn27 {
    private Openvpn27() {}

    /** The 2.7 binary; skips the calling test without it, or fails it with {@code CI=true}. */
    static Path require() {
        Optional<String> why = StockOpenvpn.why27Missing();
        if (why.isEmpty()) {
            return StockOpenvpn.openvpn27();
        }
        if (NetnsCondition.isCi()) {
            fail("CI=true but " + why.get());
        }
        Assumptions.abort(why.get());
        return null;
    }
}
