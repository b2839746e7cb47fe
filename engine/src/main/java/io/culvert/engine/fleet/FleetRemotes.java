package io.culvert.engine.fleet;

import io.culvert.engine.api.FleetRemote;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.Listen;
import io.culvert.engine.config.ServerConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses a fleet server registers for clients to dial (ADR 0057): {@code --fleet-remote} as given; without it,
 * one per listening socket whose {@code local} names a concrete address, with that socket's port and protocol; with
 * none such, the server's fleet name on the config's first port and protocol (and a warning, said by the caller).
 */
final class FleetRemotes {
    private FleetRemotes() {}

    /**
     * What the server registers, in order, never empty.
     *
     * @throws IllegalArgumentException naming a {@code --fleet-remote} that does not read
     */
    static List<FleetRemote> of(FleetOptions options, ServerConfig config) {
        Set<FleetRemote> out = new LinkedHashSet<>();
        for (String r : options.remotes()) {
            out.add(FleetRemote.parse(r, config.listen().port(), proto(config.listen().proto())));
        }
        if (!out.isEmpty()) {
            return List.copyOf(new ArrayList<>(out));
        }
        for (Listen.Socket s : config.listen().sockets()) {
            if (isConcrete(s.local())) {
                out.add(new FleetRemote(s.local(), s.port(), proto(s.proto())));
            }
        }
        if (out.isEmpty()) {
            out.add(new FleetRemote(options.name(), config.listen().port(), proto(config.listen().proto())));
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** Whether the remotes {@link #of} gives dial the server's name because nothing better was said. */
    static boolean dialsTheName(FleetOptions options, ServerConfig config) {
        return options.remotes().isEmpty() && config.listen().sockets().stream().noneMatch(s -> isConcrete(s.local()));
    }

    private static boolean isConcrete(String local) {
        if (local == null || local.isEmpty() || local.equals("*")) {
            return false;
        }
        String l = local.replaceAll("^\\[|]$", "");
        if (l.equals("0.0.0.0") || l.matches("[0:]*::[0:]*") || l.equals("::")) {
            return false;
        }
        try {
            new FleetRemote(l, 1, "udp");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String proto(ClientConfig.Proto p) {
        return p == ClientConfig.Proto.TCP ? "tcp" : "udp";
    }
}
