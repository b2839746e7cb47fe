package io.culvert.engine.remote;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ProfileInliner;
import io.culvert.engine.config.ProfileInliner.Mode;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a client profile self-contained for culvertd, which opens no path a caller names: every file the profile
 * names is read here, with the caller's own rights, and sent inline ({@link ProfileInliner}, {@link Mode#SERVICE_CLIENT});
 * {@code askpass FILE} is read here too and answers the key prompt instead ({@link #askpass}). Errors name the line;
 * warnings go to the log. Stateless.
 */
public final class ClientInliner {
    private static final Logger LOG = LoggerFactory.getLogger(ClientInliner.class);

    private ClientInliner() {}

    /**
     * What the service is sent for a profile: the profile with every file it names inlined, and the first line of its
     * {@code askpass FILE} (or empty).
     */
    public record ForService(String profile, Optional<String> askpass) {}

    /** {@link #askpass} and {@link #inline} of one parse of {@code profileText}. */
    public static ForService forService(String profileText, Path baseDir) throws EngineException {
        try {
            OvpnFile file = OvpnFile.parse(profileText);
            Optional<String> passphrase = askpass(file, baseDir);
            return new ForService(inline(file, profileText, baseDir), passphrase);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** The profile with every file it names inlined; relative names resolve against {@code baseDir}. */
    public static String inline(String profileText, Path baseDir) throws EngineException {
        try {
            return inline(OvpnFile.parse(profileText), profileText, baseDir);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** The first line of the profile's {@code askpass FILE}, or empty ({@link ProfileInliner#askpass}). */
    public static Optional<String> askpass(String profileText, Path baseDir) throws EngineException {
        try {
            return askpass(OvpnFile.parse(profileText), baseDir);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    private static String inline(OvpnFile file, String profileText, Path baseDir) throws OvpnParseException {
        ProfileInliner.Inlined in = ProfileInliner.inline(file, baseDir, Mode.SERVICE_CLIENT);
        in.warnings().forEach(LOG::warn);
        return in.changed() ? in.file().write() : profileText;
    }

    private static Optional<String> askpass(OvpnFile file, Path baseDir) throws OvpnParseException {
        List<String> warnings = new ArrayList<>();
        Optional<String> passphrase = ProfileInliner.askpass(file, baseDir, warnings);
        warnings.forEach(LOG::warn);
        return passphrase;
    }
}
