package io.culvert.engine.serveradmin;

import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes the server config of a {@link ServerSpec} (file references relative to the server's folder: {@code pki/…}
 * and {@code ccd}) and reads the spec back from such a config. Stateless and thread-safe.
 */
final class ServerConfigText {
    /** The server certificate's common name in every managed server's PKI. */
    static final String SERVER_CN = "server";
    static final String C2C_GROUP = "culvert-c2c-group";
    static final String C2C_DENY = "culvert-c2c-deny";
    static final String C2C_ALLOW = "culvert-c2c-allow";
    static final String C2C_ALLOW_ONLY = "culvert-c2c-allow-only";

    private ServerConfigText() {}

    static String render(ServerSpec s) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("# Server '").append(s.name()).append("', created by the Culvert server manager\n");
        sb.append("port ").append(s.port()).append('\n');
        sb.append("proto ").append(s.proto().name().toLowerCase(Locale.ROOT)).append('\n');
        if (s.bindAddress() != null) {
            sb.append("local ").append(s.bindAddress()).append('\n');
        }
        sb.append("dev ").append(s.device().name().toLowerCase(Locale.ROOT)).append('\n');
        if (s.device() == ServerSpec.Device.TUN) {
            sb.append("topology ").append(s.topology().name().toLowerCase(Locale.ROOT)).append('\n');
        }
        sb.append("server ").append(s.network()).append(' ').append(s.netmask()).append('\n');
        if (s.ipv6Network() != null) {
            sb.append("server-ipv6 ").append(s.ipv6Network()).append('\n');
        }
        if (s.clientToClient()) {
            sb.append("client-to-client\n");
        }
        renderPairs(sb, s.pairs());
        if (s.gateway() != null) {
            // written behind 'setenv opt' so that stock openvpn runs the same file (without gateway mode)
            sb.append("setenv opt culvert-gateway ").append(String.join(" ", s.gateway().args())).append('\n');
        }
        for (ServerSpec.Reach r : s.reach()) {
            sb.append("setenv opt culvert-nat-route ").append(String.join(" ", r.args())).append('\n');
        }
        if (s.webSocket() != null) {
            // behind 'setenv opt' too: stock openvpn serves its UDP/TCP clients and skips the WebSocket endpoint
            sb.append("setenv opt culvert-websocket ").append(ServerSpec.WebSocket.HOST).append(':')
                    .append(s.webSocket().port()).append(' ').append(s.webSocket().path()).append('\n');
            sb.append("setenv opt culvert-websocket-trusted-proxy ").append(ServerSpec.WebSocket.HOST).append('\n');
        }
        sb.append("keepalive ").append(s.keepalivePing()).append(' ').append(s.keepaliveTimeout()).append('\n');
        for (String dns : s.dnsServers()) {
            sb.append("push \"dhcp-option ").append(dns.contains(":") ? "DNS6 " : "DNS ").append(dns).append("\"\n");
        }
        if (s.proto() == ServerSpec.Proto.UDP) {
            // Stopping the server tells clients at once (RESTART) instead of leaving them to ping-restart's 60 s; OpenVPN
            // takes it for UDP only.
            sb.append("explicit-exit-notify 1\n");
            if (listensOnAllAddresses(s)) {
                // On a host with several addresses, answer each client from the address it dialled; without this the
                // kernel picks the source and a stock client drops the answer. OpenVPN uses it for UDP only.
                sb.append("multihome\n");
            }
        }
        sb.append("data-ciphers ").append(String.join(":", s.dataCiphers())).append('\n');
        sb.append("ca pki/ca.crt\n");
        sb.append("cert pki/issued/").append(SERVER_CN).append(".crt\n");
        sb.append("key pki/private/").append(SERVER_CN).append(".key\n");
        sb.append("dh none\n");
        sb.append("remote-cert-tls client\n");
        sb.append("crl-verify pki/crl.pem\n");
        sb.append("tls-crypt pki/tc.key\n");
        sb.append("client-config-dir ccd\n");
        sb.append("verb 3\n");
        return sb.toString();
    }

    /** No {@code local}, or a wildcard one: the server's socket takes datagrams for every address of the host. */
    private static boolean listensOnAllAddresses(ServerSpec s) {
        String a = s.bindAddress();
        return a == null || a.isBlank() || a.equals("*") || a.equals("0.0.0.0") || a.equals("::");
    }

    /**
     * The pair policy's lines (ADR 0037), behind {@code setenv opt} so that stock openvpn runs the same file (without
     * the policy: every pair may talk there).
     */
    private static void renderPairs(StringBuilder sb, ServerSpec.Pairs p) {
        for (ServerSpec.Group g : p.groups()) {
            sb.append("setenv opt ").append(C2C_GROUP).append(' ').append(g.name());
            g.members().forEach(m -> sb.append(' ').append(m));
            sb.append('\n');
        }
        if (p.allowOnly()) {
            sb.append("setenv opt ").append(C2C_ALLOW_ONLY).append('\n');
        }
        for (ServerSpec.Pair r : p.rules()) {
            sb.append("setenv opt ").append(p.allowOnly() ? C2C_ALLOW : C2C_DENY).append(' ').append(r.a()).append(' ')
                    .append(r.b()).append('\n');
        }
    }

    /** The spec a managed server config says; {@code publicHost} is kept outside the config. */
    static ServerSpec parse(String name, String configText, String publicHost) throws OvpnParseException {
        String network = "10.8.0.0";
        String netmask = "255.255.255.0";
        int port = ServerSpec.DEFAULT_PORT;
        ServerSpec.Proto proto = ServerSpec.Proto.UDP;
        ServerSpec.Device device = ServerSpec.Device.TUN;
        ServerSpec.Topology topology = ServerSpec.Topology.NET30;
        boolean c2c = false;
        List<String> ciphers = ServerSpec.DEFAULT_CIPHERS;
        String local = null;
        String ipv6 = null;
        int ping = ServerSpec.DEFAULT_KEEPALIVE_PING;
        int timeout = ServerSpec.DEFAULT_KEEPALIVE_TIMEOUT;
        List<String> dns = new ArrayList<>();
        ServerSpec.Gateway gateway = null;
        List<ServerSpec.Reach> reach = new ArrayList<>();
        List<ServerSpec.Group> groups = new ArrayList<>();
        List<ServerSpec.Pair> pairs = new ArrayList<>();
        boolean allowOnly = false;
        ServerSpec.WebSocket webSocket = null;
        for (Directive d : OvpnFile.parse(configText).directives()) {
            List<String> a = d.args();
            String directive = d.name();
            if (directive.equals("setenv") && a.size() >= 2 && a.getFirst().equals("opt")) {
                directive = a.get(1);
                a = a.subList(2, a.size());
            }
            switch (directive) {
                case "culvert-gateway" -> gateway = gateway(a);
                case "culvert-nat-route" -> reach.add(reach(a));
                case "culvert-websocket" -> webSocket = webSocket(a);
                case C2C_GROUP -> groups.add(new ServerSpec.Group(a.isEmpty() ? "" : a.getFirst(), a.subList(Math.min(1, a.size()), a.size())));
                case C2C_ALLOW_ONLY -> allowOnly = true;
                case C2C_DENY, C2C_ALLOW -> pairs.add(new ServerSpec.Pair(a.isEmpty() ? "" : a.get(0), a.size() < 2 ? "" : a.get(1)));
                case "port" -> port = Integer.parseInt(a.getFirst());
                case "proto" -> proto = a.getFirst().startsWith("tcp") ? ServerSpec.Proto.TCP : ServerSpec.Proto.UDP;
                case "local" -> local = a.getFirst();
                case "dev" -> device = a.getFirst().startsWith("tap") ? ServerSpec.Device.TAP : ServerSpec.Device.TUN;
                case "topology" -> topology = a.getFirst().equals("subnet") ? ServerSpec.Topology.SUBNET : ServerSpec.Topology.NET30;
                case "server" -> {
                    network = a.get(0);
                    netmask = a.get(1);
                }
                case "server-ipv6" -> ipv6 = a.getFirst();
                case "client-to-client" -> c2c = true;
                case "data-ciphers" -> ciphers = new ArrayList<>(Arrays.asList(a.getFirst().split(":")));
                case "keepalive" -> {
                    ping = Integer.parseInt(a.get(0));
                    timeout = Integer.parseInt(a.get(1));
                }
                case "push" -> {
                    String[] pushed = a.getFirst().strip().split("\\s+");
                    if (pushed.length == 3 && pushed[0].equals("dhcp-option") && (pushed[1].equals("DNS") || pushed[1].equals("DNS6"))) {
                        dns.add(pushed[2]);
                    }
                }
                default -> { }
            }
        }
        if (device == ServerSpec.Device.TAP) {
            topology = ServerSpec.Topology.SUBNET;
        }
        return ServerSpec.builder(name, publicHost).network(network, netmask).port(port).proto(proto).device(device)
                .topology(topology).clientToClient(c2c).pairs(new ServerSpec.Pairs(allowOnly, groups, pairs))
                .dataCiphers(ciphers).bindAddress(local).keepalive(ping, timeout).dnsServers(dns)
                .gateway(gateway).reach(reach).ipv6Network(ipv6).webSocket(webSocket)
                .build();
    }

    /** {@code culvert-websocket HOST:PORT PATH}; the engine checks the host when the server starts. */
    private static ServerSpec.WebSocket webSocket(List<String> a) {
        if (a.size() < 2 || a.getFirst().lastIndexOf(':') < 0) {
            throw new IllegalArgumentException("culvert-websocket needs HOST:PORT PATH, got " + String.join(" ", a));
        }
        String hostPort = a.getFirst();
        return new ServerSpec.WebSocket(Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)), a.get(1));
    }

    /** {@code culvert-gateway OUT-IF|auto [ipv4|ipv6|both] [RESOLVER ...]}; the engine checks it when the server starts. */
    private static ServerSpec.Gateway gateway(List<String> a) {
        int next = 1;
        ServerSpec.Family family = ServerSpec.Family.IPV4;
        if (a.size() > 1 && List.of("ipv4", "ipv6", "both").contains(a.get(1).toLowerCase(Locale.ROOT))) {
            family = ServerSpec.Family.valueOf(a.get(1).toUpperCase(Locale.ROOT));
            next = 2;
        }
        return new ServerSpec.Gateway(a.isEmpty() ? null : a.getFirst(), family, a.subList(Math.min(next, a.size()), a.size()));
    }

    /** {@code culvert-nat-route NETWORK/PREFIX [OUT-IF|auto] [nat|routed]}. */
    private static ServerSpec.Reach reach(List<String> a) {
        String last = a.size() > 1 ? a.getLast().toLowerCase(Locale.ROOT) : "";
        boolean mode = last.equals("nat") || last.equals("routed");
        String out = a.size() > (mode ? 2 : 1) ? a.get(1) : null;
        return new ServerSpec.Reach(a.isEmpty() ? "" : a.getFirst(), out, !last.equals("routed"));
    }
}
