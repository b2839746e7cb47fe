package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the stock OpenVPN 2.7 binary is: the environment variable {@value #ENV}, else the path
 * {@code ../shared/openvpn/build.sh} builds to. Outside CI a test without it is skipped saying why; with
 * {@code CI=true} it fails. (A local helper of the epoch tests until the shared CI condition for 2.7 lands.)
 * Stateless.
 */
final class Openvpn27 {
    static final String ENV = "CULVERT_OPENVPN_27";
    static final Path BUILD_DEFAULT = Path.of("/var/cache/culvert-test/openvpn-2.7.6/sbin/openvpn");

    private Openvpn27() {}

    /** The 2.7 binary if it is there and executable. */
    static Optional<Path> binary() {
        String env = System.getenv(ENV);
        Path p = env != null && !env.isBlank() ? Path.of(env) : BUILD_DEFAULT;
        return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** The 2.7 binary; skips the calling test without it, or fails it with {@code CI=true}. */
    static Path require() {
        Optional<Path> b = binary();
        if (b.isPresent()) {
            return b.get();
        }
        String why = "stock OpenVPN 2.7 not found: set " + ENV + " or run ../shared/openvpn/build.sh (expected at "
                + BUILD_DEFAULT + ")";
        if (NetnsCondition.isCi()) {
            fail("CI=true but " + why);
        }
        Assumptions.abort(why);
        return null;
    }
}
