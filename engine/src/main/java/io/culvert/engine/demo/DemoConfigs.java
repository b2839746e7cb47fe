package io.culvert.engine.demo;

/**
 * The demo's server config and client profiles: UDP on 127.0.0.1, TUN, topology subnet on {@value #NETWORK}/24 with
 * client-to-client (dave and frank denied by the pair policy), tls-crypt, every certificate inline. The server's device is {@code tun0}, client {@code i}'s is
 * {@code tun<i+1>}, so in-memory devices can be told apart by name. Stateless.
 */
public final class DemoConfigs {
    /** The tunnel network. */
    public static final String NETWORK = "10.89.0.0";
    /** The server's tunnel address. */
    public static final String SERVER_ADDRESS = "10.89.0.1";
    /** The tunnel subnet's broadcast address. */
    public static final String BROADCAST = "10.89.0.255";
    /** Device name of the server. */
    public static final String SERVER_DEVICE = "tun0";

    private DemoConfigs() {}

    /** Device name of client number {@code index} (0-based). */
    public static String clientDevice(int index) {
        return "tun" + (index + 1);
    }

    public static String server(int port) {
        return """
                # Culvert demo server (loopback only; the demo PKI's keys are public)
                local 127.0.0.1
                port %d
                proto udp
                dev %s
                topology subnet
                server %s 255.255.255.0
                client-to-client
                # dave and frank are kept apart: the flow matrix marks their pair in red (ADR 0037)
                setenv opt culvert-c2c-deny dave frank
                keepalive 10 60
                dh none
                data-ciphers AES-256-GCM:CHACHA20-POLY1305
                verb 1
                %s%s%s%s""".formatted(port, SERVER_DEVICE, NETWORK, inline("ca", DemoPki.ca()),
                inline("cert", DemoPki.certificate("server")), inline("key", DemoPki.privateKey("server")),
                inline("tls-crypt", DemoPki.tlsCryptKey()));
    }

    /** The profile of client number {@code index}, whose certificate is {@code DemoPki.CLIENTS.get(index)}. */
    public static String client(int index, int port) {
        String name = DemoPki.CLIENTS.get(index);
        return """
                # Culvert demo client %s
                client
                dev %s
                proto udp
                remote 127.0.0.1 %d
                nobind
                remote-cert-tls server
                verify-x509-name server name
                data-ciphers AES-256-GCM:CHACHA20-POLY1305
                verb 1
                %s%s%s%s""".formatted(name, clientDevice(index), port, inline("ca", DemoPki.ca()),
                inline("cert", DemoPki.certificate(name)), inline("key", DemoPki.privateKey(name)),
                inline("tls-crypt", DemoPki.tlsCryptKey()));
    }

    private static String inline(String tag, String pem) {
        return "<" + tag + ">\n" + pem.strip() + "\n</" + tag + ">\n";
    }
}
