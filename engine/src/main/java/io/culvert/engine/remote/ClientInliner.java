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

    /** The profile with every file it names inlined; relative names resolve against {@code baseDir}. */
    public static String inline(String profileText, Path baseDir) throws EngineException {
        try {
            ProfileInliner.Inlined in = ProfileInliner.inline(OvpnFile.parse(profileText), baseDir, Mode.SERVICE_CLIENT);
            in.warnings().forEach(LOG::warn);
            return in.changed() ? in.file().write() : profileText;
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** The first line of the profile's {@code askpass FILE}, or empty ({@link ProfileInliner#askpass}). */
    public static Optional<String> askpass(String profileText, Path baseDir) throws EngineException {
        try {
            List<String> warnings = new ArrayList<>();
            Optional<String> passphrase = ProfileInliner.askpass(OvpnFile.parse(profileText), baseDir, warnings);
            warnings.forEach(LOG::warn);
            return passphrase;
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }
}
