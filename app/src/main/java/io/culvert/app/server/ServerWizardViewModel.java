package io.culvert.app.server;

import io.culvert.engine.api.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The create-server wizard's state: the fields of a {@link ServerSpec} across six steps (name, network,
 * transport and security, what clients are pushed, the optional forwarding: gateway mode and the networks clients
 * reach, and the optional client-to-client pair policy), what is wrong on each step (as message keys), and the spec once all is right.
 * Confined to the FX thread (or the test thread).
 */
public final class ServerWizardViewModel {
    /**
     * Steps: 0 name, 1 network, 2 transport and security, 3 clients (keepalive and DNS servers pushed to them), 4
     * forwarding, 5 the client-to-client pair policy (both optional: the server can be created from step 3 on).
     */
    public static final int STEPS = 6;
    /** The last step the wizard needs; the ones after it are optional. */
    public static final int LAST_REQUIRED = 3;

    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty publicHost = new SimpleStringProperty("");
    private final StringProperty network = new SimpleStringProperty("10.8.0.0");
    private final StringProperty netmask = new SimpleStringProperty("255.255.255.0");
    private final StringProperty ipv6Network = new SimpleStringProperty("");
    private final ObjectProperty<ServerSpec.Device> device = new SimpleObjectProperty<>(ServerSpec.Device.TUN);
    private final ObjectProperty<ServerSpec.Topology> topology = new SimpleObjectProperty<>(ServerSpec.Topology.SUBNET);
    private final StringProperty port = new SimpleStringProperty(Integer.toString(ServerSpec.DEFAULT_PORT));
    private final ObjectProperty<ServerSpec.Proto> proto = new SimpleObjectProperty<>(ServerSpec.Proto.UDP);
    private final StringProperty bindAddress = new SimpleStringProperty("");
    private final BooleanProperty clientToClient = new SimpleBooleanProperty(false);
    private final ObservableList<String> ciphers = FXCollections.observableArrayList(ServerSpec.DEFAULT_CIPHERS);
    private final StringProperty keepalivePing = new SimpleStringProperty(Integer.toString(ServerSpec.DEFAULT_KEEPALIVE_PING));
    private final StringProperty keepaliveTimeout = new SimpleStringProperty(Integer.toString(ServerSpec.DEFAULT_KEEPALIVE_TIMEOUT));
    private final StringProperty dnsServers = new SimpleStringProperty("");
    private final BooleanProperty gateway = new SimpleBooleanProperty(false);
    private final StringProperty gatewayOutbound = new SimpleStringProperty(AUTO);
    private final ObjectProperty<ServerSpec.Family> gatewayFamily = new SimpleObjectProperty<>(ServerSpec.Family.IPV4);
    private final StringProperty gatewayResolvers = new SimpleStringProperty("");
    private final StringProperty reach = new SimpleStringProperty("");
    private final BooleanProperty webSocket = new SimpleBooleanProperty(false);
    private final StringProperty webSocketPort = new SimpleStringProperty(Integer.toString(ServerSpec.WebSocket.EXAMPLE.port()));
    private final StringProperty webSocketPath = new SimpleStringProperty(ServerSpec.WebSocket.EXAMPLE.path());
    private final PairPolicyForm pairs;
    private final IntegerProperty step = new SimpleIntegerProperty(0);
    private final Set<String> takenNames;
    private final BooleanBinding stepValid;
    private final BooleanBinding complete;

    private final boolean editing;
    /** The outbound interface choice that means "the default route's". */
    public static final String AUTO = "auto";

    /** @param takenNames names of the servers that exist already */
    public ServerWizardViewModel(Set<String> takenNames, String defaultPublicHost) {
        this(takenNames, defaultPublicHost, false, List.of());
    }

    private ServerWizardViewModel(Set<String> takenNames, String defaultPublicHost, boolean editing,
            List<String> issuedClients) {
        this.takenNames = Set.copyOf(takenNames);
        this.editing = editing;
        this.pairs = new PairPolicyForm(issuedClients);
        publicHost.set(defaultPublicHost);
        ipv6Network.addListener((o, was, now) -> {
            // an IPv6 network for the clients makes gateway mode forward their IPv6 too (the choice stays shown)
            boolean had = was != null && !was.isBlank();
            boolean has = now != null && !now.isBlank();
            if (!had && has && gatewayFamily.get() == ServerSpec.Family.IPV4) {
                gatewayFamily.set(ServerSpec.Family.BOTH);
            } else if (had && !has && gatewayFamily.get() != ServerSpec.Family.IPV4) {
                gatewayFamily.set(ServerSpec.Family.IPV4);
            }
        });
        List<Observable> watched = new ArrayList<>(List.of(name, publicHost, network, netmask, ipv6Network, device, topology, port, proto, bindAddress, clientToClient, ciphers,
            keepalivePing, keepaliveTimeout, dnsServers, gateway, gatewayOutbound, gatewayFamily, gatewayResolvers, reach,
            webSocket, webSocketPort, webSocketPath, step));
        watched.addAll(List.of(pairs.observables()));
        Observable[] all = watched.toArray(Observable[]::new);
        stepValid = Bindings.createBooleanBinding(() -> problems(step.get()).isEmpty(), all);
        complete = Bindings.createBooleanBinding(() -> (editing || step.get() >= LAST_REQUIRED) && problems().isEmpty(), all);
    }

    /** The form filled with {@code spec}'s settings for the Edit dialog: the name stays, Save works from any step. */
    public static ServerWizardViewModel editing(ServerSpec spec) {
        return editing(spec, List.of());
    }

    /**
     * The Edit dialog's form for {@code spec}, whose server has issued {@code clients} (common names, offered in the
     * pair-policy editor).
     */
    public static ServerWizardViewModel editing(ServerSpec spec, List<String> clients) {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), spec.publicHost(), true, clients);
        vm.name.set(spec.name());
        vm.network.set(spec.network());
        vm.netmask.set(spec.netmask());
        vm.ipv6Network.set(spec.ipv6Network() == null ? "" : spec.ipv6Network());
        vm.device.set(spec.device());
        vm.topology.set(spec.topology());
        vm.port.set(Integer.toString(spec.port()));
        vm.proto.set(spec.proto());
        vm.bindAddress.set(spec.bindAddress() == null ? "" : spec.bindAddress());
        vm.clientToClient.set(spec.clientToClient());
        vm.ciphers.setAll(spec.dataCiphers());
        vm.keepalivePing.set(Integer.toString(spec.keepalivePing()));
        vm.keepaliveTimeout.set(Integer.toString(spec.keepaliveTimeout()));
        vm.dnsServers.set(String.join(", ", spec.dnsServers()));
        ServerSpec.Gateway g = spec.gateway();
        vm.gateway.set(g != null);
        if (g != null) {
            vm.gatewayOutbound.set(g.outbound() == null ? AUTO : g.outbound());
            vm.gatewayFamily.set(g.family());
            vm.gatewayResolvers.set(String.join(", ", g.resolvers()));
        }
        vm.reach.set(spec.reach().stream().map(ServerWizardViewModel::reachLine).collect(java.util.stream.Collectors.joining("\n")));
        vm.pairs.fill(spec.pairs());
        vm.webSocket.set(spec.webSocket() != null);
        if (spec.webSocket() != null) {
            vm.webSocketPort.set(Integer.toString(spec.webSocket().port()));
            vm.webSocketPath.set(spec.webSocket().path());
        }
        return vm;
    }

    /** True for the Edit dialog's form (the name cannot change there). */
    public boolean isEditing() {
        return editing;
    }

    /** What is wrong on {@code step}, as message keys; empty when the step is fine. */
    public List<String> problems(int onStep) {
        List<String> out = new ArrayList<>();
        switch (onStep) {
            case 0 -> {
                if (!ServerSpec.isValidName(name.get().strip())) {
                    out.add("wizard.error.name");
                } else if (takenNames.contains(name.get().strip())) {
                    out.add("wizard.error.nameTaken");
                }
                if (!isHost(publicHost.get())) {
                    out.add("wizard.error.publicHost");
                }
            }
            case 1 -> {
                String mask = normalisedNetmask();
                if (!ServerSpec.isIpv4(network.get().strip())) {
                    out.add("wizard.error.network");
                } else if (mask == null) {
                    out.add("wizard.error.netmask");
                } else {
                    int bits = ServerSpec.prefixLength(mask);
                    int longest = device.get() == ServerSpec.Device.TAP ? 30 : 29;
                    if (bits < 16 || bits > longest) {
                        out.add("wizard.error.netmaskSize");
                    } else if (!isNetworkAddress(network.get().strip(), mask)) {
                        out.add("wizard.error.hostBits");
                    }
                }
                if (!ipv6Network.get().isBlank() && ServerSpec.ipv6NetworkProblem(ipv6Network.get().strip()) != null) {
                    out.add("wizard.error.ipv6");
                }
            }
            case 2 -> {
                if (portNumber() < 0) {
                    out.add("wizard.error.port");
                }
                String bind = bindAddress.get().strip();
                if (!bind.isEmpty() && !isHost(bind)) {
                    out.add("wizard.error.bindAddress");
                }
                if (ciphers.isEmpty()) {
                    out.add("wizard.error.ciphers");
                }
                if (webSocket.get() && webSocketSpec() == null) {
                    out.add("wizard.error.websocket");
                }
            }
            case 3 -> {
                if (ServerSpec.keepaliveProblem(seconds(keepalivePing), seconds(keepaliveTimeout)) != null) {
                    out.add("wizard.error.keepalive");
                }
                if (!dnsList().stream().allMatch(ServerSpec::isIpAddress)) {
                    out.add("wizard.error.dns");
                }
            }
            case 4 -> {
                if (gateway.get()) {
                    if (outbound() == null) {
                        out.add("wizard.error.interface");
                    }
                    if (gatewayFamily.get() != ServerSpec.Family.IPV4 && ipv6Network.get().isBlank()) {
                        out.add("wizard.error.gatewayIpv6");
                    }
                    if (!split(gatewayResolvers.get()).stream().allMatch(ServerSpec::isIpAddress)) {
                        out.add("wizard.error.resolvers");
                    }
                }
                if (reachList() == null) {
                    out.add("wizard.error.reach");
                }
            }
            case 5 -> out.addAll(pairs.problems(clientToClient.get()));
            default -> throw new IllegalArgumentException("no step " + onStep);
        }
        return out;
    }

    /** Every problem on every step. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            out.addAll(problems(s));
        }
        return out;
    }

    /** Moves to the next step when the current one is fine; returns whether it moved. */
    public boolean next() {
        if (step.get() < STEPS - 1 && problems(step.get()).isEmpty()) {
            step.set(step.get() + 1);
            return true;
        }
        return false;
    }

    public void back() {
        if (step.get() > 0) {
            step.set(step.get() - 1);
        }
    }

    /** The spec the fields describe; only when {@link #problems()} is empty. */
    public ServerSpec toSpec() {
        if (!problems().isEmpty()) {
            throw new IllegalStateException("the wizard has problems: " + problems());
        }
        List<String> ordered = ServerSpec.KNOWN_CIPHERS.stream().filter(ciphers::contains).toList();
        return ServerSpec.builder(name.get().strip(), publicHost.get().strip())
                .network(network.get().strip(), normalisedNetmask()).port(portNumber()).proto(proto.get()).device(device.get())
                .topology(device.get() == ServerSpec.Device.TAP ? ServerSpec.Topology.SUBNET : topology.get())
                .clientToClient(clientToClient.get()).pairs(pairs.toPairs()).dataCiphers(ordered)
                .bindAddress(bindAddress.get().strip()).keepalive(seconds(keepalivePing), seconds(keepaliveTimeout))
                .dnsServers(dnsList()).gateway(gatewaySpec()).reach(reachList())
                .ipv6Network(ipv6Network.get().isBlank() ? null : ipv6Network.get().strip())
                .webSocket(webSocket.get() ? webSocketSpec() : null)
                .build();
    }

    /** The WebSocket endpoint the fields describe, or null when they do not make one. */
    private ServerSpec.WebSocket webSocketSpec() {
        try {
            return new ServerSpec.WebSocket(Integer.parseInt(webSocketPort.get().strip()), webSocketPath.get().strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The nginx location block for the WebSocket endpoint (the admin guide's template with this path and port), or ""
     * when the endpoint is off or its fields are wrong.
     */
    public String nginxSnippet() {
        ServerSpec.WebSocket ws = webSocket.get() ? webSocketSpec() : null;
        return ws == null ? "" : io.culvert.engine.api.NginxSnippet.location(ws.path(), ServerSpec.WebSocket.HOST, ws.port());
    }

    /** {@link #nginxSnippet()}, kept current. */
    public javafx.beans.binding.StringBinding nginxSnippetBinding() {
        return Bindings.createStringBinding(this::nginxSnippet, webSocket, webSocketPort, webSocketPath);
    }

    /** Also accept OpenVPN over WebSocket from a reverse proxy on this host ({@code culvert-websocket}). */
    public BooleanProperty webSocketProperty() {
        return webSocket;
    }

    /** The loopback port the proxy forwards to. */
    public StringProperty webSocketPortProperty() {
        return webSocketPort;
    }

    /** The request path the proxy forwards, e.g. /vpn. */
    public StringProperty webSocketPathProperty() {
        return webSocketPath;
    }

    /** The client-to-client pair-policy editor's state. */
    public PairPolicyForm pairs() {
        return pairs;
    }

    /** The DNS servers field split at commas and white space. */
    List<String> dnsList() {
        return split(dnsServers.get());
    }

    private static List<String> split(String field) {
        String text = field == null ? "" : field.strip();
        return text.isEmpty() ? List.of() : List.of(text.split("[,\\s]+"));
    }

    /** The outbound interface as typed or chosen ("" and "auto": the default route's), or null when it is no name. */
    private String outbound() {
        String out = gatewayOutbound.get() == null ? "" : gatewayOutbound.get().strip();
        return out.isEmpty() || out.equals(AUTO) || out.matches("[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]{0,14}") ? out : null;
    }

    /** Gateway mode as the form says, or null when off. */
    private ServerSpec.Gateway gatewaySpec() {
        return gateway.get() ? new ServerSpec.Gateway(outbound(), gatewayFamily.get(), split(gatewayResolvers.get())) : null;
    }

    /**
     * The networks field, one per line as {@code NETWORK/PREFIX [OUT-IF|auto] [nat|routed]} (the directive's
     * arguments; a bare network is NAT out of the route's interface), or null when a line is not one.
     */
    List<ServerSpec.Reach> reachList() {
        List<ServerSpec.Reach> out = new ArrayList<>();
        for (String line : (reach.get() == null ? "" : reach.get()).split("[\\n,]")) {
            List<String> w = split(line);
            if (w.isEmpty()) {
                continue;
            }
            String last = w.getLast().toLowerCase(java.util.Locale.ROOT);
            boolean mode = w.size() > 1 && (last.equals("nat") || last.equals("routed"));
            if (w.size() > (mode ? 3 : 2)) {
                return null;
            }
            try {
                out.add(new ServerSpec.Reach(w.getFirst(), w.size() > (mode ? 2 : 1) ? w.get(1) : null, !last.equals("routed")));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return out;
    }

    /** How the networks field shows a reached network: the bare network for the usual NAT out of the route. */
    static String reachLine(ServerSpec.Reach r) {
        return r.outbound() == null && r.nat() ? r.network() : String.join(" ", r.args());
    }

    private static int seconds(StringProperty p) {
        try {
            return Integer.parseInt(p.get().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The netmask as dotted quad; "24" and "/24" are accepted too. Null when it is no netmask. */
    String normalisedNetmask() {
        String m = netmask.get().strip();
        if (m.startsWith("/")) {
            m = m.substring(1);
        }
        if (m.matches("\\d{1,2}")) {
            int bits = Integer.parseInt(m);
            return bits <= 32 ? ServerSpec.netmaskOf(bits) : null;
        }
        return ServerSpec.prefixLength(m) >= 0 ? m : null;
    }

    private int portNumber() {
        try {
            int p = Integer.parseInt(port.get().strip());
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isHost(String s) {
        return s != null && s.strip().matches("[A-Za-z0-9.:_-]{1,253}");
    }

    private static boolean isNetworkAddress(String network, String mask) {
        String[] n = network.split("\\.");
        String[] m = mask.split("\\.");
        for (int i = 0; i < 4; i++) {
            if ((Integer.parseInt(n[i]) & ~Integer.parseInt(m[i]) & 255) != 0) {
                return false;
            }
        }
        return true;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty publicHostProperty() {
        return publicHost;
    }

    public StringProperty networkProperty() {
        return network;
    }

    public StringProperty netmaskProperty() {
        return netmask;
    }

    /** The clients' IPv6 network ({@code server-ipv6}), e.g. fd00:8::/64; empty: IPv4 only. */
    public StringProperty ipv6NetworkProperty() {
        return ipv6Network;
    }

    public ObjectProperty<ServerSpec.Device> deviceProperty() {
        return device;
    }

    public ObjectProperty<ServerSpec.Topology> topologyProperty() {
        return topology;
    }

    public StringProperty portProperty() {
        return port;
    }

    public ObjectProperty<ServerSpec.Proto> protoProperty() {
        return proto;
    }

    public StringProperty bindAddressProperty() {
        return bindAddress;
    }

    public BooleanProperty clientToClientProperty() {
        return clientToClient;
    }

    /** The chosen data ciphers (order does not matter; the spec orders them strongest first). */
    public ObservableList<String> ciphers() {
        return ciphers;
    }

    /** {@code keepalive}'s ping interval in seconds, as typed. */
    public StringProperty keepalivePingProperty() {
        return keepalivePing;
    }

    /** {@code keepalive}'s restart timeout in seconds, as typed. */
    public StringProperty keepaliveTimeoutProperty() {
        return keepaliveTimeout;
    }

    /** DNS servers pushed to clients, separated by commas or spaces; empty pushes none. */
    public StringProperty dnsServersProperty() {
        return dnsServers;
    }

    /** "Send clients' Internet traffic through this server" (gateway mode). */
    public BooleanProperty gatewayProperty() {
        return gateway;
    }

    /** The interface the clients' traffic leaves by: {@link #AUTO} or a name. */
    public StringProperty gatewayOutboundProperty() {
        return gatewayOutbound;
    }

    public ObjectProperty<ServerSpec.Family> gatewayFamilyProperty() {
        return gatewayFamily;
    }

    /** Resolvers pushed in gateway mode, separated by commas or spaces; empty: the server's own. */
    public StringProperty gatewayResolversProperty() {
        return gatewayResolvers;
    }

    /** "Let clients reach these networks": one network per line. */
    public StringProperty reachProperty() {
        return reach;
    }

    public IntegerProperty stepProperty() {
        return step;
    }

    /** True while the current step has no problems. */
    public BooleanBinding stepValidBinding() {
        return stepValid;
    }

    /** True on the last step with no problems anywhere: the server can be created. */
    public BooleanBinding completeBinding() {
        return complete;
    }
}
