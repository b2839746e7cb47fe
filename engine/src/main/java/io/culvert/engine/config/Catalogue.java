package io.culvert.engine.config;

import static io.culvert.engine.config.Directives.MANY;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.Directives.Spec;
import io.culvert.engine.config.Directives.Support;
import java.util.Map;

/** Fills the {@link Directives} table; used once from its static initialiser. Not thread-safe. */
final class Catalogue {
    private static final String WINDOWS = "Windows-only option; no effect on Linux";
    private static final String PROCESS = "process management is up to the host";
    private static final String SCRIPT = "scripts are not run by Culvert";
    private static final String DEPRECATED = "deprecated and ignored, as in OpenVPN 2.6 and 2.7";
    private static final String PUSHED = "only meaningful when pushed by the server";

    private final Map<String, Spec> m;

    Catalogue(Map<String, Spec> m) {
        this.m = m;
    }

    private void sup(String name, int min, int max) {
        Directives.add(m, name, min, max, Support.SUPPORTED, Role.CLIENT, null);
    }

    private void ign(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.IGNORED, Role.CLIENT, note);
    }

    private void warn(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.WARN, Role.CLIENT, note);
    }

    private void uns(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.UNSUPPORTED, Role.CLIENT, note);
    }

    private void srv(String name, int min, int max) {
        Directives.add(m, name, min, max, Support.SUPPORTED, Role.SERVER, "server-only directive");
    }

    /** A server directive the Culvert server applies, with a note on how. */
    private void srv(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.SUPPORTED, Role.SERVER, "server-only directive; " + note);
    }

    /** A server directive the Culvert server accepts without applying it; harmless, so no warning. */
    private void srvIgn(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.IGNORED, Role.SERVER, note);
    }

    /** A server directive the Culvert server accepts without applying it, although the admin may rely on it. */
    private void srvWarn(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.WARN, Role.SERVER, note);
    }

    /** A server directive a server config may not use: OpenVPN refuses it too, or ignoring it would be unsafe. */
    private void srvUns(String name, int min, int max, String note) {
        Directives.add(m, name, min, max, Support.UNSUPPORTED, Role.SERVER, note);
    }

    void fill() {
        connection();
        tls();
        dataChannel();
        routing();
        housekeeping();
        windows();
        unsupported();
        server();
        paths();
    }

    /**
     * Every argument that names a file, a folder or a program on the host. culvertd refuses each of them from a
     * caller (it opens no path a caller names), so this list must be complete; {@code DirectivesTest} checks it
     * against the catalogue.
     */
    private void paths() {
        for (String file : new String[] {"ca", "cert", "key", "extra-certs", "pkcs12", "tls-auth", "tls-crypt",
                "tls-crypt-v2", "secret", "crl-verify", "dev-node", "replay-persist", "cd", "chroot", "log", "log-append",
                "status", "writepid", "tls-export-cert", "ifconfig-pool-persist", "client-config-dir", "tmp-dir",
                "auth-gen-token-secret", "win-sys", "memstats", "capath", "config", WebSocketRemote.CA,
                WebSocketListen.TOKEN_FILE}) {
            path(file, 0);
        }
        for (String program : new String[] {"up", "down", "route-up", "route-pre-down", "ipchange", "tls-verify",
                "client-connect", "client-disconnect", "learn-address", "auth-user-pass-verify", "tls-crypt-v2-verify",
                "plugin", "client-crresponse"}) {
            path(program, 0);
        }
        // user/password files: "stdin" asks instead, as in OpenVPN
        path("auth-user-pass", 0, "stdin");
        path("askpass", 0, "stdin");
        path("http-proxy-user-pass", 0, "stdin");
        path("socks-proxy-user-pass", 0, "stdin");
        path("http-proxy", 2, "auto", "auto-nct", "stdin");
        path("socks-proxy", 2, "stdin");
        path("management", 2, "stdin");
        path("dh", 0, "none");
        path("port-share", 2);
        path("dns-updown", 0, "disable", "force");
        path("pkcs11-providers", Directives.PathArg.EVERY);
    }

    private void path(String name, int index, String... keywords) {
        Directives.path(m, name, index, keywords);
    }

    private void connection() {
        sup("client", 0, 0);
        sup("pull", 0, 0);
        sup("tls-client", 0, 0);
        sup("remote", 1, 3);
        sup("remote-random", 0, 0);
        sup("port", 1, 1);
        sup("rport", 1, 1);
        sup("lport", 1, 1);
        sup("proto", 1, 1);
        sup("nobind", 0, 0);
        sup("bind", 0, 1);
        sup("local", 1, 3);
        sup("dev", 1, 1);
        sup("dev-type", 1, 1);
        sup("connection", 1, 1);
        sup("connect-retry", 1, 2);
        sup("connect-retry-max", 1, 1);
        sup("connect-timeout", 1, 1);
        sup("server-poll-timeout", 1, 1);
        sup("resolv-retry", 1, 1);
        sup("explicit-exit-notify", 0, 1);
        sup("ping", 1, 1);
        sup("ping-restart", 1, 1);
        sup("ping-exit", 1, 1);
        sup("inactive", 1, 2);
        sup("keepalive", 2, 2);
        sup("management", 1, 3);
        sup("management-hold", 0, 0);
        sup("management-log-cache", 1, 1);
        sup("verb", 1, 1);
        sup("ignore-unknown-option", 1, MANY);
        sup("http-proxy", 1, 4);
        sup("http-proxy-option", 1, 3);
        sup("http-proxy-user-pass", 1, 1);
        sup("socks-proxy", 1, 3);
        Directives.add(m, "socks-proxy-user-pass", 1, 1, Support.SUPPORTED, Role.CLIENT,
                "Culvert's inline form of socks-proxy's auth file, as <http-proxy-user-pass> is for http-proxy (not in OpenVPN)");
        ign("setenv", 1, 2, "environment variables are only read by scripts");
        ign("float", 0, 0, "accepting packets from a changed server address is always on");
        ign("remote-random-hostname", 0, 0, "hostname randomisation is not used");
        ign("ping-timer-rem", 0, 0, "ping timer runs whenever connected");
        ign("persist-key", 0, 0, "keys are always kept across restarts");
        ign("persist-tun", 0, 0, "the tunnel device is managed by Culvert");
        ign("persist-local-ip", 0, 0, "sockets are managed by Culvert");
        ign("persist-remote-ip", 0, 0, "sockets are managed by Culvert");
        ign("mute-replay-warnings", 0, 0, "logging is configured elsewhere");
        ign("mute", 1, 1, "logging is configured elsewhere");
        ign("dev-node", 1, 1, "the tunnel device is managed by Culvert");
        ign("sndbuf", 1, 1, "socket buffers use system defaults");
        ign("rcvbuf", 1, 1, "socket buffers use system defaults");
        ign("fast-io", 0, 0, "I/O strategy is internal");
        ign("mtu-disc", 1, 1, "path MTU discovery uses system defaults");
        ign("tun-mtu-extra", 1, 1, "only used for TAP buffer sizing");
        ign("link-mtu", 1, 1, "deprecated; link MTU is derived");
        ign("txqueuelen", 1, 1, "system default queue length is used");
        ign("mark", 1, 1, "socket marks are not set");
        ign("socket-flags", 1, MANY, "socket flags use system defaults");
        ign("management-query-passwords", 0, 0, "passwords come from the Culvert UI");
        ign("management-client", 0, 0, "Culvert's management interface is configured separately");
        ign("management-signal", 0, 0, "Culvert's management interface is configured separately");
        ign("management-forget-disconnect", 0, 0, "Culvert's management interface is configured separately");
        ign("management-up-down", 0, 0, "Culvert's management interface is configured separately");
        ign("management-client-user", 1, 1, "Culvert's management interface is configured separately");
        ign("management-client-group", 1, 1, "Culvert's management interface is configured separately");
        ign("allow-pull-fqdn", 0, 0, "pushed names are accepted");
        ign("disable-dco", 0, 0, "Culvert has no kernel data-channel offload");
        ign("echo", 0, MANY, "GUI hints are not interpreted");
        ign("parameter", 0, MANY, "GUI hints are not interpreted");
        ign("memstats", 1, 1, "a developer's statistics file; not written");
        ign("remap-usr1", 1, 1, "signals are not used");
        ign("compat-mode", 1, 1, "Culvert negotiates with 2.6 semantics");
        ign("tun-mtu-max", 1, 1, "pushed MTUs are capped internally");
        ign("lladdr", 1, 1, "the TAP MAC address is chosen by the system");
        warn("http-proxy-retry", 0, 0, DEPRECATED);
        warn("socks-proxy-retry", 0, 0, DEPRECATED);
        warn("http-proxy-timeout", 1, 1, DEPRECATED);
        warn("http-proxy-override", 2, 3, "not applied: set the proxy with http-proxy in the profile");
        sup("bind-dev", 1, 1);
        sup("proto-force", 1, 1);
        warn("passtos", 0, 0, "not applied: the outer packet's TOS is not copied from the inner one");
        sup("shaper", 1, 1);
        sup("session-timeout", 1, 1);
        ign("preresolve", 0, 1, "names are resolved when each remote is tried");
        ign("ip-remote-hint", 0, 1, "names are resolved when each remote is tried");
        ign("single-session", 0, 0, "a Culvert connection always runs one session");
        ign("udp-mtu", 1, 1, "deprecated; link MTU is derived");
        warn("max-packet-size", 1, 1, "not applied yet: set tun-mtu and mssfix instead");
        ign("management-query-proxy", 0, 0, "Culvert's management interface is configured separately");
        ign("management-query-remote", 0, 0, "Culvert's management interface is configured separately");
        ign("errors-to-stderr", 0, 0, "logging is configured elsewhere");
        ign("gremlin", 1, 1, "a testing aid that corrupts traffic on purpose; never applied");
        ign("iproute", 1, 1, "Culvert configures the device and routes itself");
        sup("allow-recursive-routing", 0, 0);
        ign("auth-token", 1, 1, PUSHED);
        ign("auth-token-user", 1, 1, PUSHED);
        ign("peer-id", 1, 1, PUSHED);
        ign("protocol-flags", 1, MANY, PUSHED);
        ign("key-derivation", 1, 1, PUSHED);
        ign("push-continuation", 1, 1, PUSHED);
        sup("route-table", 1, 1);
        warn("dns-updown", 1, 1, "Culvert applies pushed DNS itself; no dns-updown script is run");
    }

    private void tls() {
        sup("ca", 1, 1);
        sup("cert", 1, 1);
        sup("key", 1, 1);
        sup("extra-certs", 1, 1);
        sup("pkcs12", 1, 1);
        sup("askpass", 0, 1);
        sup("tls-auth", 1, 2);
        sup("tls-crypt", 1, 1);
        sup("tls-crypt-v2", 1, 2);
        sup("key-direction", 1, 1);
        sup("remote-cert-tls", 1, 1);
        sup("ns-cert-type", 1, 1);
        sup("verify-x509-name", 1, 2);
        sup("auth-user-pass", 0, 1);
        sup("tls-version-min", 1, 2);
        sup("tls-version-max", 1, 1);
        sup("tls-cipher", 1, 1);
        sup("tls-ciphersuites", 1, 1);
        sup("hand-window", 1, 1);
        sup("tran-window", 1, 1);
        sup("tls-timeout", 1, 1);
        sup("reneg-sec", 1, 2);
        sup("reneg-bytes", 1, 1);
        sup("reneg-pkts", 1, 1);
        ign("auth-nocache", 0, 0, "credentials are never cached in memory beyond the session");
        ign("auth-retry", 1, 1, "the UI decides how to retry authentication");
        ign("push-peer-info", 0, 0, "peer info is always sent");
        ign("tls-exit", 0, 0, "TLS errors end the session anyway");
        ign("tls-cert-profile", 1, 1, "the TLS library's defaults apply");
        ign("tls-groups", 1, 1, "the TLS library's defaults apply");
        ign("ecdh-curve", 1, 1, "the TLS library's defaults apply");
        ign("key-method", 1, 1, "only key method 2 exists");
        sup("capath", 1, 1);
        ign("force-tls-key-material-export", 0, 0, "the key derivation is negotiated with the server");
        ign("use-prediction-resistance", 0, 0, "random numbers come from the JDK's SecureRandom");
        warn("prng", 1, 2, "ignored, as in OpenVPN: the TLS library's generator is used");
        ign("allow-deprecated-insecure-static-crypto", 0, 0, "only relaxes static-key mode, which Culvert refuses");
        sup("static-challenge", 2, 3);
        warn("crl-verify", 1, 2, "certificate revocation lists are not checked yet");
        warn("remote-cert-ku", 0, MANY, "key usage is not checked; remote-cert-tls covers the common case");
        warn("remote-cert-eku", 1, 1, "extended key usage is checked only through remote-cert-tls");
        srv("x509-username-field", 1, MANY);
    }

    private void dataChannel() {
        sup("auth", 1, 1);
        sup("cipher", 1, 1);
        sup("data-ciphers", 1, 1);
        sup("ncp-ciphers", 1, 1);
        sup("data-ciphers-fallback", 1, 1);
        sup("replay-window", 1, 2);
        sup("tun-mtu", 1, 2);
        sup("mssfix", 0, 2);
        sup("comp-lzo", 0, 1);
        sup("compress", 0, 1);
        sup("allow-compression", 1, 1);
        ign("ncp-disable", 0, 0, "removed in OpenVPN 2.6; cipher negotiation is always on");
        ign("tun-ipv6", 0, 0, "IPv6 in the tunnel is always enabled");
        ign("comp-noadapt", 0, 0, "adaptive compression is not used");
        ign("replay-persist", 1, 1, "replay state is not persisted");
        ign("disable-occ", 0, 0, "options consistency check is informational");
    }

    private void routing() {
        sup("route", 1, 4);
        sup("route-ipv6", 1, 3);
        sup("route-nopull", 0, 0);
        sup("redirect-gateway", 0, 7);
        sup("redirect-private", 0, 7);
        sup("pull-filter", 2, 2);
        sup("dhcp-option", 1, 2);
        warn("route-gateway", 1, 1, "the route gateway is taken from the server push");
        sup("route-metric", 1, 1);
        sup("route-delay", 0, 2);
        ign("route-method", 1, 1, WINDOWS);
        sup("route-noexec", 0, 0);
        ign("ifconfig-noexec", 0, 0, "Culvert configures the device itself");
        ign("ifconfig-nowarn", 0, 0, "informational");
        ign("topology", 1, 1, "the server pushes the topology");
        warn("ifconfig", 2, 2, "static tunnel addresses are taken from the server push");
        warn("ifconfig-ipv6", 2, 2, "static tunnel addresses are taken from the server push");
        sup("dns", 2, MANY);
        warn("block-ipv6", 0, 0, "IPv6 blocking is not applied yet");
    }

    private void housekeeping() {
        ign("script-security", 1, 2, SCRIPT);
        ign("user", 1, 1, PROCESS);
        ign("group", 1, 1, PROCESS);
        ign("chroot", 1, 1, PROCESS);
        ign("cd", 1, 1, "relative paths are resolved against the profile's folder");
        ign("daemon", 0, 1, PROCESS);
        ign("syslog", 0, 1, "logging is configured elsewhere");
        ign("log", 1, 1, "logging is configured elsewhere");
        ign("log-append", 1, 1, "logging is configured elsewhere");
        sup("status", 1, 2);
        warn("status-version", 1, 1, "the status file is always written in status-version 1 layout");
        ign("writepid", 1, 1, PROCESS);
        ign("setcon", 1, 1, PROCESS);
        ign("nice", 1, 1, PROCESS);
        ign("mlock", 0, 0, PROCESS);
        ign("suppress-timestamps", 0, 0, "logging is configured elsewhere");
        ign("machine-readable-output", 0, 0, "logging is configured elsewhere");
        ign("setenv-safe", 1, 2, SCRIPT);
        ign("up-delay", 0, 0, SCRIPT);
        ign("down-pre", 0, 0, SCRIPT);
        ign("up-restart", 0, 0, SCRIPT);
        warn("up", 1, MANY, SCRIPT);
        warn("down", 1, MANY, SCRIPT);
        warn("route-up", 1, MANY, SCRIPT);
        warn("route-pre-down", 1, MANY, SCRIPT);
        warn("ipchange", 1, MANY, SCRIPT);
        warn("tls-verify", 1, MANY, SCRIPT);
        warn("tls-export-cert", 1, 1, SCRIPT);
    }

    private void windows() {
        ign("block-outside-dns", 0, 0, WINDOWS);
        ign("register-dns", 0, 0, WINDOWS);
        ign("ip-win32", 1, 3, WINDOWS);
        ign("dhcp-renew", 0, 0, WINDOWS);
        ign("dhcp-release", 0, 0, WINDOWS);
        ign("dhcp-pre-release", 0, 0, WINDOWS);
        ign("tap-sleep", 1, 1, WINDOWS);
        ign("show-net-up", 0, 0, WINDOWS);
        ign("win-sys", 1, 1, WINDOWS);
        ign("allow-nonadmin", 0, 1, WINDOWS);
        ign("windows-driver", 1, 1, WINDOWS);
        ign("service", 1, 2, WINDOWS);
        ign("dhcp-internal", 1, 1, WINDOWS);
        ign("rdns-internal", 0, 0, WINDOWS);
        ign("msg-channel", 1, 1, WINDOWS);
        ign("pause-exit", 0, 0, WINDOWS);
    }

    private void unsupported() {
        uns("secret", 1, 2, "static-key mode is insecure and not supported");
        uns("peer-fingerprint", 1, 1, "peer fingerprint verification is not supported yet");
        uns("fragment", 1, 2, "fragmentation changes the data-channel framing and is not supported");
        uns("verify-hash", 1, 2, "certificate pinning by hash is not supported yet");
        uns("pkcs11-id", 1, 1, "PKCS#11 tokens are not supported");
        uns("pkcs11-providers", 1, MANY, "PKCS#11 tokens are not supported");
        uns("cryptoapicert", 1, 1, "the Windows certificate store is not supported");
        uns("management-external-key", 0, MANY, "external keys are not supported");
        uns("management-external-cert", 1, 1, "external certificates are not supported");
        uns("engine", 0, 1, "OpenSSL engines are not supported");
        uns("providers", 1, MANY, "OpenSSL providers are not supported");
        uns("mtu-test", 0, 0, "MTU testing is not supported");
        uns("mtu-dynamic", 0, MANY, "removed from OpenVPN (replaced by fragment), which refuses it too");
        uns("compat-names", 0, MANY, "removed in OpenVPN 2.5, which refuses it too");
        uns("no-name-remapping", 0, MANY, "removed in OpenVPN 2.5, which refuses it too");
        uns("no-replay", 0, 0, "turns off replay protection (unsafe); removed in OpenVPN 2.7, which refuses it too");
        uns("client-cert-not-required", 0, 0, "removed from OpenVPN, which refuses it; use verify-client-cert none");
        uns("config", 1, 1, "a profile cannot include another file; import the included file's lines instead");
        for (String pkcs11 : new String[] {"pkcs11-cert-private", "pkcs11-id-management", "pkcs11-pin-cache",
                "pkcs11-private-mode", "pkcs11-protected-authentication"}) {
            uns(pkcs11, 0, MANY, "PKCS#11 tokens are not supported");
        }
        for (String command : new String[] {"genkey", "help", "version", "show-adapters", "show-ciphers", "show-curves",
                "show-digests", "show-engines", "show-gateway", "show-groups", "show-net", "show-pkcs11-ids", "show-tls",
                "show-valid-subnets", "test-crypto", "mktun", "rmtun"}) {
            uns(command, 0, MANY, "a standalone OpenVPN command that runs instead of a connection, not a connection option");
        }
    }

    private void server() {
        srv("mode", 1, 1);
        srv("server", 2, 3);
        srv("server-ipv6", 1, 1);
        srv("server-bridge", 0, 4);
        srv("tls-server", 0, 0);
        srv("dh", 1, 1);
        srv("push", 1, 1);
        srv("push-reset", 0, 0);
        srv("push-remove", 1, 1);
        srv("ifconfig-pool", 2, 3);
        srv("ifconfig-pool-persist", 1, 2);
        srv("ifconfig-ipv6-pool", 1, 1);
        srv("ifconfig-push", 2, 3);
        srv("ifconfig-ipv6-push", 1, 2);
        srv("iroute", 1, 2);
        srv("iroute-ipv6", 1, 1);
        srv("client-config-dir", 1, 1);
        srv("ccd-exclusive", 0, 0);
        srv("disable", 0, 0);
        srv("client-to-client", 0, 0);
        srv("duplicate-cn", 0, 0);
        srv("max-clients", 1, 1);
        srv("max-routes-per-client", 1, 1);
        srv("client-connect", 1, MANY);
        srv("client-disconnect", 1, MANY);
        srv("learn-address", 1, MANY);
        srv("auth-user-pass-verify", 2, 2);
        srv("auth-user-pass-optional", 0, 0);
        srvWarn("auth-gen-token", 0, 4, "not applied: no auth-token is pushed, so clients send their password again when they reconnect");
        srvWarn("auth-gen-token-secret", 1, 1, "not applied: auth-gen-token is not implemented");
        srv("verify-client-cert", 1, 1);
        srv("username-as-common-name", 0, 0);
        srvUns("tls-crypt-v2-verify", 1, 1, "tls-crypt-v2-verify scripts are not run by Culvert, and a server without the check would admit clients it may refuse; tls-crypt-v2-max-age can refuse old client keys");
        srv("tls-crypt-v2-max-age", 1, 1);
        srv("tmp-dir", 1, 1);
        srvWarn("stale-routes-check", 1, 2, "not applied: a client's routes are dropped only when it disconnects");
        srv("connect-freq", 2, 2, "limits new UDP client sessions as OpenVPN does; refused with proto tcp, as OpenVPN refuses it");
        srv("connect-freq-initial", 2, 2, "limits replies to UDP clients' first packets as OpenVPN does; without it Culvert allows 1000 a second (OpenVPN: 100 per 10 s)");
        srvIgn("hash-size", 2, 2, "sizes OpenVPN's own client lookup tables; Culvert's tables grow as needed");
        srvIgn("bcast-buffers", 1, 1, "sizes OpenVPN's own broadcast buffer pool; Culvert's are sized internally");
        srvIgn("tcp-queue-limit", 1, 1, "bounds OpenVPN's per-client TCP output queue; Culvert writes packets straight to the client's socket and keeps no such queue");
        srv("tcp-nodelay", 0, 0, "pushes socket-flags TCP_NODELAY to clients (the server's TCP sockets always have it, as in OpenVPN 2.7.6)");
        srv("port-share", 2, 3, "the proxy-info folder (third argument) is accepted with a warning: no files are written there");
        srvUns("management-client-auth", 0, 0, "client authorisation over the management interface is not supported, and a server without it would admit clients it may refuse");
        uns("management-client-pf", 0, 0, "removed in OpenVPN 2.6 (packet filters), which refuses it too");
        srvUns("vlan-tagging", 0, 0, "VLAN separation of clients is not supported; without it every client would share one broadcast domain");
        srvUns("vlan-accept", 1, 1, "needs vlan-tagging, which is not supported");
        srvUns("vlan-pvid", 1, 1, "needs vlan-tagging, which is not supported");
        srvWarn("opt-verify", 0, 0, "not applied: client options are not compared; OpenVPN 2.7 removed it too (a no-op there)");
        srvWarn("keying-material-exporter", 2, 2, "not applied: exported_keying_material is not set for scripts");
        srvWarn("route-ipv6-gateway", 1, 1, "not applied: IPv6 routes go to the tunnel device without a gateway");
        warn("plugin", 1, MANY, "plugins are not loaded");
        srvWarn("client-nat", 4, 4, "not applied: tunnel packets are not address-translated");
        srv("multihome", 0, 1);
        Directives.add(m, KillSwitch.DIRECTIVE, 0, 1, Support.SUPPORTED, Role.CLIENT, "Culvert's own: while the profile is"
                + " active or reconnecting nothing leaves the machine but the tunnel and the link to the server; stock"
                + " OpenVPN refuses it, and skips it written as 'setenv opt culvert-kill-switch'");
        Directives.add(m, WebSocketRemote.DIRECTIVE, 1, 1, Support.SUPPORTED, Role.CLIENT, "Culvert's own: a server"
                + " reached over WebSocket (wss://host[:port]/path) through a reverse proxy, tried in file order with the"
                + " other remotes (ADR 0042); stock OpenVPN skips it after 'ignore-unknown-option culvert-remote-websocket'"
                + " and uses the other remotes; in a <connection> block written 'setenv opt culvert-remote-websocket URL'"
                + " beside the block's remote, which Culvert passes over (ADR 0047)");
        Directives.add(m, WebSocketListen.TOKEN_FILE, 1, 1, Support.SUPPORTED, Role.CLIENT, "Culvert's own: a file"
                + " holding a bearer token; a client sends it on its WebSocket upgrade, a server answers 401 to upgrades"
                + " without it (ADR 0046); keep it mode 0600; stock OpenVPN skips it after 'ignore-unknown-option'; in a"
                + " <connection> block, written 'setenv opt culvert-websocket-token-file FILE', it is that block's WebSocket"
                + " remote's own");
        Directives.add(m, WebSocketRemote.CA, 1, 1, Support.SUPPORTED, Role.CLIENT, "Culvert's own: the CA certificates"
                + " (PEM) a wss remote's proxy certificate is checked against instead of the system's trust store; in a"
                + " <connection> block, written 'setenv opt culvert-websocket-ca FILE', that block's WebSocket remote's own");
        srv(Gateway.DIRECTIVE, 1, MANY, "Culvert's own: forwards and masquerades the clients' traffic out of an interface"
                + " and pushes redirect-gateway def1 and DNS; stock OpenVPN refuses it, and skips it written as"
                + " 'setenv opt culvert-gateway ...'");
        String pairPolicy = "Culvert's own client-to-client pair policy (ADR 0037), enforced in the server's router;"
                + " stock OpenVPN refuses it, and skips it written as 'setenv opt ";
        srv(PairPolicyReader.GROUP, 2, MANY, pairPolicy + PairPolicyReader.GROUP + " ...'");
        srv(PairPolicyReader.DENY, 2, 2, pairPolicy + PairPolicyReader.DENY + " ...'");
        srv(PairPolicyReader.ALLOW, 2, 2, pairPolicy + PairPolicyReader.ALLOW + " ...'");
        srv(PairPolicyReader.ALLOW_ONLY, 0, 0, pairPolicy + PairPolicyReader.ALLOW_ONLY + "'");
        srv(NatRoute.DIRECTIVE, 1, 3, "Culvert's own: pushes a route to a network behind the server and forwards the"
                + " clients' traffic to it, masqueraded out of an interface (nat) or routed; stock OpenVPN refuses it, and"
                + " skips it written as 'setenv opt culvert-nat-route ...'");
        srv(WebSocketListen.DIRECTIVE, 2, 2, "Culvert's own: also serves clients over WebSocket on a loopback port or a"
                + " Unix socket (unix:/path, mode 0660) behind"
                + " a reverse proxy such as nginx (ADR 0042); stock OpenVPN refuses it, and skips it written as"
                + " 'setenv opt culvert-websocket ...'");
        srv(WebSocketListen.TRUSTED_PROXY, 1, 1, "Culvert's own: a reverse proxy whose X-Real-IP / X-Forwarded-For"
                + " name a WebSocket client's real address; stock OpenVPN skips it written as 'setenv opt ...'");
        srv(WebSocketListen.CLIENT_CN_HEADER, 1, 1, "Culvert's own: the header in which a trusted proxy (nginx with"
                + " ssl_verify_client) passes the client certificate it verified (subject DN or common name); an upgrade"
                + " without it is refused, a session whose certificate common name differs is dropped (ADR 0050); stock"
                + " OpenVPN skips it written as 'setenv opt ...'");
        srv(WebSocketListen.GROUP, 1, 1, "Culvert's own: the group owning the WebSocket Unix socket (mode 0660; the"
                + " proxy's worker user is its member; default the server's group); stock OpenVPN skips it written as"
                + " 'setenv opt ...'");
        warn("max-routes", 0, 1, DEPRECATED);
        srv("x509-track", 1, 1);
        warn("client-crresponse", 1, MANY, SCRIPT);
        warn("ifconfig-push-constraint", 2, 2, "not applied yet: ifconfig-push addresses are not constrained");
        warn("override-username", 1, 1, "not applied yet: the username of the client is kept");
    }
}
