package io.culvert.app;

import io.culvert.engine.api.DemoEngine;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.Fleets;
import io.culvert.engine.api.Profiles;
import io.culvert.engine.api.ServerAdmin;
import io.culvert.engine.common.Threads;
import io.culvert.engine.local.LocalDemoEngine;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.fleetadmin.LocalFleets;
import io.culvert.engine.profiles.LocalProfiles;
import io.culvert.engine.remote.RemoteEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The composition root: what every feature of the app shares (the engine, the data folder, a background
 * executor). The only place in the app that names an engine implementation. Thread-safe.
 *
 * @param engine the engine: culvertd's over its socket when it runs (the app then needs no root), else in-process
 * @param dataDir where the app keeps its database and files
 * @param background executor for work that must not run on the FX thread
 * @param profiles the stored client profiles, logins and app settings (null where a test needs none)
 * @param servers the servers the server manager administers (null where a test needs none)
 * @param demos starts the built-in demo network (in-process, in-memory devices)
 * @param fleets opens fleets of servers on PostgreSQL for the server manager (null where a test needs none)
 */
public record AppContext(Engine engine, Path dataDir, ExecutorService background, Profiles profiles, ServerAdmin servers,
        DemoEngine demos, Fleets fleets) {

    /** A context without fleets. */
    public AppContext(Engine engine, Path dataDir, ExecutorService background, Profiles profiles, ServerAdmin servers,
            DemoEngine demos) {
        this(engine, dataDir, background, profiles, servers, demos, null);
    }

    /** A context with the in-process demo and neither profiles nor servers (tests). */
    public AppContext(Engine engine, Path dataDir, ExecutorService background) {
        this(engine, dataDir, background, null, null, new LocalDemoEngine(InstantSource.system()));
    }

    /** A context for the client face (tests). */
    public AppContext(Engine engine, Path dataDir, ExecutorService background, Profiles profiles) {
        this(engine, dataDir, background, profiles, null, new LocalDemoEngine(InstantSource.system()));
    }

    /** A context for the server manager (tests). */
    public AppContext(Engine engine, Path dataDir, ExecutorService background, ServerAdmin servers) {
        this(engine, dataDir, background, null, servers, new LocalDemoEngine(InstantSource.system()));
    }

    /** A context with profiles and servers (tests). */
    public AppContext(Engine engine, Path dataDir, ExecutorService background, Profiles profiles, ServerAdmin servers) {
        this(engine, dataDir, background, profiles, servers, new LocalDemoEngine(InstantSource.system()));
    }

    /** The real context: culvertd when available, else the engine in-process. */
    public static AppContext create() {
        return create(defaultDataDir());
    }

    /** The real context over the data folder {@code dataDir} (tests pass a temporary one). */
    public static AppContext create(Path dataDir) {
        Engine engine = chooseEngine();
        LocalProfiles profiles = LocalProfiles.open(dataDir.resolve("culvert.db"), true, InstantSource.system());
        return new AppContext(engine, dataDir, Executors.newThreadPerTaskExecutor(
                Threads.virtual("culvert-app-bg").name("culvert-app-bg-", 0).factory()), profiles,
                LocalServerAdmin.open(engine, dataDir, InstantSource.system()), new LocalDemoEngine(InstantSource.system()),
                LocalFleets.open(dataDir, profiles.settings(), true, InstantSource.system()));
    }

    /**
     * The engine the app drives: as root, in-process with kernel devices; otherwise through the privileged
     * service {@code culvertd} when its socket is there, so the app never needs root; failing that, in-process,
     * where connecting reports that it needs root or the service.
     */
    static Engine chooseEngine() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && RemoteEngine.available(RemoteEngine.DEFAULT_SOCKET)) {
            try {
                return RemoteEngine.connect(RemoteEngine.DEFAULT_SOCKET, "culvert-app", InstantSource.system());
            } catch (io.culvert.engine.api.EngineException e) {
                org.slf4j.LoggerFactory.getLogger(AppContext.class).warn("culvertd is not usable ({}); running the engine in-process",
                        e.getMessage());
            }
        }
        // Kernel devices even without root: connecting then fails with a clear "needs root or culvertd" error
        // instead of pretending to connect through a device nothing reads. The demo has its own in-memory engine.
        return new LocalEngine(LocalEngine.Devices.KERNEL, InstantSource.system());
    }

    /** Where the engine runs, as the window's footer tells the user. */
    public enum EngineMode {
        /** Through the privileged service culvertd: the app needs no root. */
        SERVICE,
        /** In the app's own process, running as root. */
        IN_APP_ROOT,
        /** In the app's own process without root: connecting needs root or culvertd. */
        IN_APP
    }

    /** Where this context's engine runs. */
    public EngineMode engineMode() {
        if (engine instanceof RemoteEngine) {
            return EngineMode.SERVICE;
        }
        return "root".equals(System.getProperty("user.name")) ? EngineMode.IN_APP_ROOT : EngineMode.IN_APP;
    }

    static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("culvert");
    }
}
