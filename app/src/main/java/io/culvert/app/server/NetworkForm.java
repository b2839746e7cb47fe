package io.culvert.app.server;

import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.ServerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the address-and-routes form's text into a {@link ClientNetwork}, or says what is wrong (a message key
 * and the offending text). Immutable.
 *
 * @param network the parsed settings, or null when {@code errorKey} is set
 */
record NetworkForm(ClientNetwork network, String errorKey, String offending) {

    static NetworkForm parse(String address, String iroutes, String pushedRoutes) {
        String a = address == null ? "" : address.strip();
        if (!a.isEmpty() && !ServerSpec.isIpv4(a)) {
            return new NetworkForm(null, "network.error.address", a);
        }
        List<String> in = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        String bad = lines(iroutes, in);
        if (bad == null) {
            bad = lines(pushedRoutes, pushed);
        }
        if (bad != null) {
            return new NetworkForm(null, "network.error.cidr", bad);
        }
        return new NetworkForm(new ClientNetwork(a, in, pushed), null, null);
    }

    /** The form's text for existing settings. */
    static String text(List<String> routes) {
        return String.join("\n", routes);
    }

    private static String lines(String text, List<String> out) {
        for (String line : (text == null ? "" : text).split("[\\n,]")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!ClientNetwork.isCidr(l)) {
                return l;
            }
            out.add(l);
        }
        return null;
    }

    boolean ok() {
        return network != null;
    }
}
