package io.culvert.engine.management;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the management interface listens, from the {@code management} directive's arguments:
 * {@code IP PORT [pw-file]} (loopback only) or {@code /path/socket unix [pw-file]}. Instances are immutable.
 */
public sealed interface ManagementEndpoint {

    /** The password file, or null when connections need no password. */
    Path passwordFile();

    /** TCP on a loopback address. */
    record Tcp(InetSocketAddress address, Path passwordFile) implements ManagementEndpoint {}

    /** A Unix domain socket. */
    record Unix(Path socket, Path passwordFile) implements ManagementEndpoint {}

    /**
     * Parses the directive's arguments (as {@code ClientConfig.management()} holds them, space-separated); relative
     * paths resolve against {@code baseDir} (the working directory when null).
     */
    static ManagementEndpoint parse(String raw, Path baseDir) throws EngineException {
        List<String> args = raw == null ? List.of() : List.of(raw.trim().split("\\s+"));
        if (args.size() < 2 || args.size() > 3) {
            throw invalid("management needs 'IP PORT [pw-file]' or '/path/socket unix [pw-file]', got '" + raw + "'");
        }
        Path pw = args.size() == 3 ? passwordFile(args.get(2), baseDir) : null;
        if (args.get(1).equals("unix")) {
            return new Unix(resolve(baseDir, args.get(0)), pw);
        }
        int port;
        try {
            port = Integer.parseInt(args.get(1));
        } catch (NumberFormatException e) {
            throw invalid("management port '" + args.get(1) + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw invalid("management port " + port + " is out of range");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(args.get(0));
        } catch (UnknownHostException e) {
            throw invalid("management address '" + args.get(0) + "' does not resolve");
        }
        if (!ip.isLoopbackAddress()) {
            throw invalid("management listens only on loopback (e.g. 127.0.0.1) or a unix socket, not " + args.get(0));
        }
        return new Tcp(new InetSocketAddress(ip, port), pw);
    }

    private static Path passwordFile(String arg, Path baseDir) throws EngineException {
        if (arg.equals("stdin")) {
            throw invalid("management password from stdin is not supported; name a password file");
        }
        return resolve(baseDir, arg);
    }

    private static Path resolve(Path baseDir, String file) {
        Path p = Path.of(file);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    private static EngineException invalid(String message) {
        return new EngineException(ErrorKind.CONFIG_INVALID, message);
    }
}
