package io.culvert.engine.server;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.CcdEntry;
import io.culvert.engine.server.route.InstanceId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** One client instance: its session, where it is reached, and what it was admitted with. Owned by the server thread. */
final class Instance {
    final InstanceId id;
    final ServerSession session;
    LinkEndpoint endpoint;
    /** Set once admitted, null before and after. */
    Admission.Admitted admitted;
    /** Held while client-connect runs, so the script is told the address the client gets. */
    Admission.Admitted provisional;
    /** What client-connect wrote, or null. */
    CcdEntry dynamic;
    /** Its tunnel addresses now: the admitted ones, unless a PUSH_UPDATE moved it. */
    List<InetAddress> addresses = List.of();
    /** Give back the pool slots of addresses a PUSH_UPDATE moved it onto, when it leaves. */
    final List<Runnable> holds = new ArrayList<>();

    Instance(InstanceId id, ServerSession session, LinkEndpoint endpoint) {
        this.id = id;
        this.session = session;
        this.endpoint = endpoint;
    }

    /** "cn/address" for log lines. */
    String label() {
        String cn = session.commonName();
        return (cn == null ? "" : cn + "/") + io.culvert.engine.net.Addresses.text(endpoint.address());
    }
}
