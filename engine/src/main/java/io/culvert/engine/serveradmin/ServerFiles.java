package io.culvert.engine.serveradmin;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoredServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a managed server lives: its row in the {@link Store} (config, ccd entries, public host) and its folder
 * {@code <serversDir>/<name>} (config, {@code ccd/}, {@code pki/}). Not thread-safe; {@link LocalServerAdmin}
 * serialises changes.
 */
final class ServerFiles {
    private static final String PUBLIC_HOST = ".public-host";

    private final Store store;
    private final Path serversDir;

    ServerFiles(Store store, Path serversDir) {
        this.store = store;
        this.serversDir = serversDir.toAbsolutePath();
    }

    Store store() {
        return store;
    }

    /** The folder that holds every server's folder. */
    Path serversDir() {
        return serversDir;
    }

    /** The folder of {@code server}; an invalid name is refused before it becomes a path. */
    Path dir(String server) {
        if (!ServerSpec.isValidName(server)) {
            throw new IllegalArgumentException("invalid server name '" + server + "'");
        }
        return serversDir.resolve(server);
    }

    StoredServer stored(String server) throws EngineException {
        return store.servers().find(server)
                .orElseThrow(() -> new EngineException(ErrorKind.CONFIG_INVALID, "no server named '" + server + "'"));
    }

    ServerSpec spec(StoredServer s) throws EngineException {
        try {
            return ServerConfigText.parse(s.name(), s.configText(), publicHost(s.name()));
        } catch (OvpnParseException | IllegalArgumentException e) {
            throw failure(e);
        }
    }

    /** The host name clients are told to connect to. */
    String publicHost(String server) {
        return store.settings().get(key(server)).orElse("localhost");
    }

    void setPublicHost(String server, String host) {
        store.settings().put(key(server), host);
    }

    void forgetPublicHost(String server) {
        store.settings().remove(key(server));
    }

    /** Makes {@code ccd/} hold exactly the server's stored client-config-dir entries. */
    void writeCcdFiles(StoredServer s) throws EngineException {
        Path ccd = dir(s.name()).resolve("ccd");
        try {
            Files.createDirectories(ccd);
            try (Stream<Path> old = Files.list(ccd)) {
                for (Path p : old.toList()) {
                    if (!s.ccd().containsKey(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
            for (Map.Entry<String, String> e : s.ccd().entrySet()) {
                Files.writeString(ccd.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static String key(String server) {
        return "server." + server + PUBLIC_HOST;
    }

    /** A change refused: the config, a file or the store said no. */
    static EngineException failure(Exception e) {
        return new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
    }
}
