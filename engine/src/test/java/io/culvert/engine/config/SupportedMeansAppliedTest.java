package io.culvert.engine.config;

import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The option table is honest: every directive the catalogue marks <em>supported</em> is applied in the role it is
 * supported in. A minimal valid config using it with typical arguments loads without an "ignored" or "not
 * implemented" warning and without the directive in {@code ignoredOptionsReported}; a client-config-dir directive
 * (OpenVPN's {@code OPT_P_INSTANCE}: refused by stock in the main config) is applied from a ccd file.
 */
class SupportedMeansAppliedTest {
    private static final String PEM = "<ca>\n-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n</ca>\n";
    private static final String CLIENT = "client\ndev tun\nremote vpn.example 1194\n" + PEM
            + "cert client.crt\nkey client.key\n";
    private static final String SERVER = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\nkeepalive 10 60\n";
    /** Directives OpenVPN allows only per client (ccd files, client-connect output). */
    private static final Set<String> CCD = Set.of("iroute", "iroute-ipv6", "ifconfig-push", "ifconfig-ipv6-push",
            "disable", "push-reset", "push-remove");
    /** Whole lines for directives whose typical use is not "name args" (inline blocks, files from elsewhere). */
    private static final Map<String, String> LINES = Map.of(
            "connection", "<connection>\nremote vpn3.example 1194\n</connection>\n",
            "http-proxy-user-pass", "<http-proxy-user-pass>\nuser\npass\n</http-proxy-user-pass>\n",
            "socks-proxy-user-pass", "<socks-proxy-user-pass>\nuser\npass\n</socks-proxy-user-pass>\n",
            "tls-crypt-v2", "tls-crypt-v2 " + resource("/tls-crypt-v2/cli.key") + "\n");

    /** Typical arguments; a directive that is not listed is used without arguments. */
    private static final Map<String, String> ARGS = Map.ofEntries(
            Map.entry("remote", "vpn2.example 1195 udp"), Map.entry("port", "1194"), Map.entry("rport", "1194"),
            Map.entry("lport", "1195"), Map.entry("proto", "udp"), Map.entry("local", "0.0.0.0"),
            Map.entry("dev", "tun"), Map.entry("dev-type", "tun"), Map.entry("connect-retry", "5 300"),
            Map.entry("connect-retry-max", "3"), Map.entry("connect-timeout", "10"),
            Map.entry("server-poll-timeout", "10"), Map.entry("resolv-retry", "infinite"),
            Map.entry("explicit-exit-notify", "2"), Map.entry("ping", "10"), Map.entry("ping-restart", "60"),
            Map.entry("ping-exit", "120"), Map.entry("inactive", "600"), Map.entry("keepalive", "10 60"),
            Map.entry("management", "127.0.0.1 7505"), Map.entry("management-log-cache", "100"),
            Map.entry("verb", "3"), Map.entry("ignore-unknown-option", "foo"),
            Map.entry("http-proxy", "proxy.example 8080"), Map.entry("http-proxy-option", "AGENT culvert"),
            Map.entry("socks-proxy", "proxy.example 1080"), Map.entry("bind-dev", "eth0"),
            Map.entry("proto-force", "udp"), Map.entry("shaper", "100000"), Map.entry("culvert-gateway", "eth0"), Map.entry("culvert-nat-route", "192.168.50.0/24"), Map.entry("culvert-c2c-group", "staff alice bob"),
            Map.entry("culvert-remote-websocket", "wss://vpn.example/vpn"), Map.entry("culvert-websocket-ca", "ca.crt"),
            Map.entry("culvert-websocket", "127.0.0.1:8081 /vpn"), Map.entry("culvert-websocket-trusted-proxy", "127.0.0.1"),
            Map.entry("culvert-websocket-group", "www-data"), Map.entry("culvert-websocket-token-file", "ws.token"),
            Map.entry("culvert-websocket-client-cn-header", "X-Client-DN"),
            Map.entry("culvert-c2c-deny", "alice bob"), Map.entry("culvert-c2c-allow", "alice bob"), Map.entry("session-timeout", "3600"),
            Map.entry("route-table", "100"), Map.entry("ca", "ca.crt"), Map.entry("extra-certs", "ca.crt"),
            Map.entry("tls-auth", "ta.key 1"), Map.entry("tls-crypt", "tc.key"), Map.entry("key-direction", "1"),
            Map.entry("remote-cert-tls", "server"), Map.entry("ns-cert-type", "server"),
            Map.entry("verify-x509-name", "server name"), Map.entry("tls-version-min", "1.2"),
            Map.entry("tls-version-max", "1.3"), Map.entry("tls-cipher", "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384"),
            Map.entry("tls-ciphersuites", "TLS_AES_256_GCM_SHA384"), Map.entry("hand-window", "60"),
            Map.entry("tran-window", "3600"), Map.entry("tls-timeout", "2"), Map.entry("reneg-sec", "3600"),
            Map.entry("reneg-bytes", "1000000"), Map.entry("reneg-pkts", "1000000"), Map.entry("capath", "."),
            Map.entry("static-challenge", "\"Enter PIN\" 1"), Map.entry("auth", "SHA256"),
            Map.entry("cipher", "AES-256-GCM"), Map.entry("data-ciphers", "AES-256-GCM:AES-128-GCM"),
            Map.entry("ncp-ciphers", "AES-256-GCM:AES-128-GCM"), Map.entry("data-ciphers-fallback", "AES-256-CBC"),
            Map.entry("replay-window", "64"), Map.entry("tun-mtu", "1500"), Map.entry("mssfix", "1400"),
            Map.entry("comp-lzo", "no"), Map.entry("allow-compression", "no"),
            Map.entry("route", "10.1.0.0 255.255.0.0"), Map.entry("route-ipv6", "fd01::/64"),
            Map.entry("redirect-gateway", "def1"), Map.entry("redirect-private", "def1"),
            Map.entry("pull-filter", "ignore route"), Map.entry("dhcp-option", "DNS 10.8.0.1"),
            Map.entry("route-metric", "10"), Map.entry("route-delay", "5"),
            Map.entry("dns", "search-domains example.com"), Map.entry("status", "status.log 10"),
            // server
            Map.entry("mode", "server"), Map.entry("server-ipv6", "fd00::/64"),
            Map.entry("push", "\"route 10.1.0.0 255.255.0.0\""), Map.entry("push-remove", "route"),
            Map.entry("ifconfig-pool-persist", "ipp.txt"), Map.entry("ifconfig-ipv6-pool", "fd00::1000/64"),
            Map.entry("ifconfig-push", "10.8.0.5 255.255.255.0"), Map.entry("ifconfig-ipv6-push", "fd00::5/64"),
            Map.entry("iroute", "10.9.0.0 255.255.255.0"), Map.entry("iroute-ipv6", "fd09::/64"),
            Map.entry("client-config-dir", "ccd"), Map.entry("max-clients", "10"),
            Map.entry("max-routes-per-client", "100"), Map.entry("client-connect", "/bin/true"),
            Map.entry("client-disconnect", "/bin/true"), Map.entry("learn-address", "/bin/true"),
            Map.entry("auth-user-pass-verify", "/bin/true via-env"), Map.entry("auth-gen-token", "3600"),
            Map.entry("auth-gen-token-secret", "token.key"), Map.entry("verify-client-cert", "require"),
            Map.entry("tls-crypt-v2-verify", "/bin/true"), Map.entry("tls-crypt-v2-max-age", "30"),
            Map.entry("tmp-dir", "/tmp"), Map.entry("stale-routes-check", "30 10"),
            Map.entry("connect-freq", "10 60"), Map.entry("connect-freq-initial", "100 10"),
            Map.entry("hash-size", "256 256"), Map.entry("bcast-buffers", "256"),
            Map.entry("tcp-queue-limit", "64"), Map.entry("port-share", "127.0.0.1 8443"),
            Map.entry("vlan-accept", "all"), Map.entry("vlan-pvid", "1"),
            Map.entry("keying-material-exporter", "EXPORTER-test 32"), Map.entry("route-ipv6-gateway", "fd00::1"),
            Map.entry("client-nat", "snat 192.168.0.0 255.255.0.0 10.64.0.0"), Map.entry("x509-track", "SHA256"),
            Map.entry("x509-username-field", "CN"));

    /** Lines a directive needs around it (its own line is appended after them). */
    private static final Map<String, String> CONTEXT = Map.ofEntries(
            Map.entry("ccd-exclusive", "client-config-dir ccd\n"),
            Map.entry("auth-user-pass-optional", "script-security 3\nauth-user-pass-verify /bin/true via-env\n"),
            Map.entry("username-as-common-name", "script-security 3\nauth-user-pass-verify /bin/true via-env\n"),
            Map.entry("auth-gen-token-secret", "auth-gen-token 3600\n"),
            Map.entry("vlan-accept", "vlan-tagging\n"), Map.entry("vlan-pvid", "vlan-tagging\n"),
            Map.entry("ifconfig-ipv6-pool", "ifconfig-ipv6 fd00::1 fd00::2\n"),
            Map.entry("route-ipv6-gateway", "server-ipv6 fd00::/64\n"),
            Map.entry("http-proxy", "proto tcp-client\n"), Map.entry("http-proxy-option", "proto tcp-client\nhttp-proxy proxy.example 8080\n"),
            Map.entry("http-proxy-user-pass", "proto tcp-client\nhttp-proxy proxy.example 8080\n"),
            Map.entry("socks-proxy-user-pass", "socks-proxy proxy.example 1080\n"),
            Map.entry("client-connect", "script-security 2\n"), Map.entry("client-disconnect", "script-security 2\n"),
            Map.entry("learn-address", "script-security 2\n"),
            Map.entry("auth-user-pass-verify", "script-security 3\n"),
            Map.entry("culvert-c2c-deny", "client-to-client\n"), Map.entry("culvert-c2c-allow-only", "client-to-client\n"),
            Map.entry("culvert-c2c-allow", "client-to-client\nculvert-c2c-allow-only\n"),
            Map.entry("port-share", "proto tcp-server\n"), Map.entry("tcp-nodelay", "proto tcp-server\n"));
    /** Whole configs for directives that do not go with the base config's choices. */
    private static final Map<String, String> WHOLE = Map.of(
            "server-bridge", "dev tap\nca ca.crt\ncert server.crt\nkey server.key\ndh none\nkeepalive 10 60\n"
                    + "server-bridge 10.8.0.4 255.255.255.0 10.8.0.128 10.8.0.254\n",
            "ifconfig-pool", "mode server\ntls-server\ndev tun\ntopology subnet\nca ca.crt\ncert server.crt\n"
                    + "key server.key\ndh none\nkeepalive 10 60\nifconfig 10.8.0.1 255.255.255.0\n"
                    + "ifconfig-pool 10.8.0.10 10.8.0.100 255.255.255.0\n",
            "pkcs12", "client\ndev tun\nremote vpn.example 1194\npkcs12 client.p12\n");
    /** Server directives that the base config already uses. */
    private static final Set<String> IN_SERVER_BASE = Set.of("dev", "ca", "cert", "key", "dh", "server", "keepalive");
    /** Client directives that the base profile already uses. */
    private static final Set<String> IN_CLIENT_BASE = Set.of("client", "dev", "remote", "ca", "cert", "key");

    @Test
    void everySupportedDirectiveIsAppliedInItsRole(@TempDir Path tmp) throws Exception {
        Path clientDir = Path.of(getClass().getResource("/ovpn/valid/ca.crt").toURI()).getParent();
        Path serverDir = Files.createDirectory(tmp.resolve("server"));
        Path server = ServerConfigTest.dir();
        for (String f : List.of("ca.crt", "server.crt", "server.key", "ta.key", "tc.key")) {
            Files.copy(server.resolve(f), serverDir.resolve(f));
        }
        Files.createDirectory(serverDir.resolve("ccd"));
        Files.write(tmp.resolve("client.p12"), new byte[] {0x30, 0}); // read when connecting, not when loading
        List<String> dishonest = new ArrayList<>();
        int checked = 0;
        for (String name : Directives.names()) {
            Spec spec = Directives.lookup(name).orElseThrow();
            if (spec.support() != Support.SUPPORTED) {
                continue;
            }
            checked++;
            String line = LINES.getOrDefault(name, (name + " " + ARGS.getOrDefault(name, "")).strip() + "\n");
            if (spec.role() == Role.CLIENT ? IN_CLIENT_BASE.contains(name) : IN_SERVER_BASE.contains(name)) {
                line = "";
            }
            String problem;
            try {
                if (WHOLE.containsKey(name)) {
                    problem = spec.role() == Role.CLIENT ? client(name, WHOLE.get(name), tmp)
                            : server(name, WHOLE.get(name), serverDir);
                } else if (spec.role() == Role.CLIENT) {
                    problem = client(name, CONTEXT.getOrDefault(name, "") + line, clientDir);
                } else if (CCD.contains(name)) {
                    problem = String.join("; ", ClientConfigDir.parse(line).unsupported());
                } else {
                    problem = server(name, CONTEXT.getOrDefault(name, "") + line, serverDir);
                }
            } catch (OvpnParseException | RuntimeException e) {
                problem = "does not load: " + e.getMessage();
            }
            if (!problem.isEmpty()) {
                dishonest.add(name + " (" + spec.role().name().toLowerCase() + "): " + problem);
            }
        }
        assertTrue(checked > 100, "only " + checked + " supported directives");
        assertEquals(List.of(), dishonest, "marked supported in docs/openvpn-options.md but not applied");
    }

    private static String resource(String name) {
        try {
            return Path.of(SupportedMeansAppliedTest.class.getResource(name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String client(String name, String line, Path dir) throws OvpnParseException {
        ClientConfig c = ClientConfig.from(OvpnFile.parse(line.startsWith("client\n") ? line : CLIENT + line), dir, false);
        return verdict(name, c.ignoredOptionsReported(), c.warnings());
    }

    private static String server(String name, String text, Path dir) throws OvpnParseException {
        ServerConfig c = ServerConfig.from(OvpnFile.parse(text.contains("\nca ca.crt\n") ? text : SERVER + text), dir, false);
        return verdict(name, c.ignoredOptionsReported(), c.warnings());
    }

    private static String verdict(String name, List<String> ignored, List<String> warnings) {
        List<String> out = new ArrayList<>();
        if (ignored.contains(name)) {
            out.add("in ignoredOptionsReported");
        }
        for (String w : warnings) {
            if (w.contains("'" + name + "'") && (w.contains("ignored") || w.contains("not implemented")
                    || w.contains("not applied"))) {
                out.add(w);
            }
        }
        return String.join("; ", out);
    }
}
