package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.RedirectGateway;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ClientConfig.VerifyX509Name;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Applies the value-carrying client directives to a {@link ClientConfigBuilder}. Not thread-safe. */
final class ClientValueReader {
    private static final List<String> REDIRECT_FLAGS =
            List.of("local", "autolocal", "def1", "bypass-dhcp", "bypass-dns", "block-local", "ipv6", "!ipv4");
    private static final Set<String> UNAPPLIED_DNS = Set.of("dnssec", "transport", "sni");
    private static final List<String> TLS_VERSIONS = List.of("1.0", "1.1", "1.2", "1.3");

    private final ClientConfigBuilder b;
    private final Path baseDir;
    private final KeyMaterial keys;

    ClientValueReader(ClientConfigBuilder b, Path baseDir) {
        this.b = b;
        this.baseDir = baseDir;
        this.keys = new KeyMaterial(baseDir);
    }

    /** The reader of inline and file key material, for directives handled elsewhere. */
    KeyMaterial keys() {
        return keys;
    }

    void apply(Directive d) throws OvpnParseException {
        switch (d.name()) {
            case "client" -> {
                b.pull = true;
                b.tlsClient = true;
            }
            case "pull" -> b.pull = true;
            case "tls-client" -> b.tlsClient = true;
            case "remote-random" -> b.remoteRandom = true;
            case "nobind" -> b.nobind = true;
            case "bind" -> b.nobind = false;
            case "lport" -> b.lport = ArgValues.intIn(d, 0, 0, 65535);
            case "local" -> b.localAddress = d.arg(0);
            case "connect-retry" -> {
                b.connectRetrySeconds = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
                if (d.args().size() > 1) {
                    b.connectRetryMaxSeconds = ArgValues.intIn(d, 1, 0, Integer.MAX_VALUE);
                }
            }
            case "connect-retry-max" -> b.connectRetryMax = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "connect-timeout", "server-poll-timeout" ->
                    b.connectTimeoutSeconds = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "resolv-retry" -> b.resolvRetrySeconds =
                    "infinite".equals(d.arg(0)) ? -1 : ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "explicit-exit-notify" ->
                    b.explicitExitNotify = d.args().isEmpty() ? 1 : ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "ping" -> b.ping = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "ping-restart" -> b.pingRestart = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "ping-exit" -> b.pingExit = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "keepalive" -> keepalive(d);
            case "management" -> b.management = String.join(" ", d.args());
            case "management-hold" -> b.managementHold = true;
            case "management-log-cache" -> b.managementLogCache = ArgValues.intIn(d, 0, 1, 1_000_000);
            case "verb" -> b.verb = ArgValues.intIn(d, 0, 0, 11);
            case "ignore-unknown-option" -> { }
            case "ca" -> b.caPem = keys.pem(d, b.caPem);
            case "cert" -> b.certPem = keys.pem(d, b.certPem);
            case "key" -> {
                b.keyPem = keys.pem(d, b.keyPem);
                b.keyName = KeyMaterial.sourceName(d);
            }
            case "pkcs12" -> {
                b.pkcs12 = keys.pkcs12(d);
                b.pkcs12Name = KeyMaterial.sourceName(d);
            }
            case "askpass" -> b.askpass = keys.askpass(d);
            case "extra-certs" -> b.extraCertsPem = keys.pem(d, b.extraCertsPem);
            case "tls-auth" -> {
                b.tlsAuthKey = keys.staticKey(d, b.tlsAuthKey);
                if (d.args().size() > 1) {
                    b.keyDirection = KeyMaterial.keyDirection(d, 1);
                }
            }
            case "tls-crypt" -> b.tlsCryptKey = keys.staticKey(d, b.tlsCryptKey);
            case "tls-crypt-v2" -> b.tlsCryptV2Key = keys.labelledPem(d, b.tlsCryptV2Key, "OpenVPN tls-crypt-v2 client key");
            case "key-direction" -> b.keyDirection = KeyMaterial.keyDirection(d, 0);
            case "remote-cert-tls" -> b.remoteCertTls = ArgValues.oneOf(d, 0, List.of("server", "client"));
            case "verify-x509-name" -> b.verifyX509Name = new VerifyX509Name(d.arg(0),
                    d.args().size() > 1 ? ArgValues.oneOf(d, 1, List.of("subject", "name", "name-prefix")) : "subject");
            case "auth-user-pass" -> b.authUserPass = authUserPass(d);
            case "static-challenge" -> {
                // Read by whoever asks for the login (the app's dialog, the console prompt): only checked here.
                if (d.args().size() > 1) {
                    ArgValues.oneOf(d, 1, List.of("0", "1"));
                }
                if (d.args().size() > 2 && !d.arg(2).equalsIgnoreCase("concat")) {
                    throw ArgValues.invalid(d, "the third argument may only be 'concat'");
                }
            }
            case "tls-version-min" -> {
                b.tlsVersionMin = ArgValues.oneOf(d, 0, TLS_VERSIONS);
                if (d.args().size() > 1) {
                    ArgValues.oneOf(d, 1, List.of("or-highest"));
                }
            }
            case "tls-version-max" -> b.tlsVersionMax = ArgValues.oneOf(d, 0, TLS_VERSIONS);
            case "tls-cipher" -> b.tlsCipher = d.arg(0);
            case "tls-ciphersuites" -> b.tlsCiphersuites = d.arg(0);
            case "hand-window" -> b.handWindow = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "tran-window" -> b.tranWindow = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "tls-timeout" -> b.tlsTimeout = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "reneg-sec" -> b.renegSec = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "reneg-bytes" -> b.renegBytes = ArgValues.longIn(d, 0, 0, Long.MAX_VALUE);
            case "reneg-pkts" -> b.renegPkts = ArgValues.longIn(d, 0, 0, Long.MAX_VALUE);
            case "auth" -> b.auth = d.arg(0);
            case "cipher" -> b.cipher = d.arg(0);
            case "data-ciphers", "ncp-ciphers" -> b.dataCiphers = DataCiphers.parse(d);
            case "data-ciphers-fallback" -> b.dataCiphersFallback = d.arg(0);
            case "replay-window" -> {
                b.replayWindow = ArgValues.intIn(d, 0, 0, 65536);
                if (d.args().size() > 1) {
                    b.replayWindowSeconds = ArgValues.intIn(d, 1, 0, 600);
                }
            }
            case "tun-mtu" -> b.tunMtu = ArgValues.intIn(d, 0, 100, 65535);
            case "mssfix" -> mssfix(d);
            case "comp-lzo" -> b.compLzo =
                    d.args().isEmpty() ? "adaptive" : ArgValues.oneOf(d, 0, List.of("yes", "no", "adaptive"));
            case "compress" -> b.compress = d.args().isEmpty() ? "stub"
                    : ArgValues.oneOf(d, 0, List.of("lzo", "lz4", "lz4-v2", "stub", "stub-v2", "migrate"));
            case "allow-compression" -> b.allowCompression = ArgValues.oneOf(d, 0, List.of("yes", "no", "asym"));
            case "route-nopull" -> b.routeNopull = true;
            case "route-noexec" -> b.routeExecution = new RouteExecution(true, b.routeExecution.delaySeconds());
            // route-delay's window (w) only bounds Windows' wait for the adapter; the delay is n (0 when absent).
            case "route-delay" -> b.routeExecution = new RouteExecution(b.routeExecution.noexec(),
                    d.args().isEmpty() ? 0 : ArgValues.intIn(d, 0, 0, 3600));
            case "route", "route-ipv6" -> b.routes.add(route(d));
            case "redirect-gateway", "redirect-private" -> b.redirectGateway = redirect(d);
            case "pull-filter" -> b.pullFilters.add(
                    new PullFilter(ArgValues.oneOf(d, 0, List.of("accept", "ignore", "reject")), d.arg(1)));
            case "dhcp-option" -> b.dhcpOptions.add(new DhcpOption(d.arg(0), d.arg(1)));
            case "dns" -> dns(d);
            case "route-metric" -> b.routeMetric = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "inactive" -> {
                b.inactiveSeconds = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
                b.inactiveBytes = d.args().size() > 1 ? ArgValues.longIn(d, 1, 0, Long.MAX_VALUE) : 0;
            }
            case "status" -> {
                if (d.arg(0).isEmpty()) {
                    throw ArgValues.invalid(d, "no file name given");
                }
                b.statusFile = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
                if (d.args().size() > 1) {
                    b.statusSeconds = ArgValues.intIn(d, 1, 1, Integer.MAX_VALUE);
                }
            }
            default -> throw new IllegalStateException("catalogue marks '" + d.name() + "' supported but no reader");
        }
    }

    /** Cross-directive checks and warnings once every directive has been applied. */
    void finish() throws OvpnParseException {
        try {
            b.dnsOptions = b.dns.build();
        } catch (DnsOptions.DnsOptionException e) {
            throw new OvpnParseException(e.line(), "dns", Reason.INVALID_VALUE, e.getMessage());
        }
        boolean compresses = (b.compress != null && !b.compress.startsWith("stub"))
                || (b.compLzo != null && !b.compLzo.equals("no"));
        if (b.allowCompression == null) {
            // 2.6: configuring compression without allow-compression receives compressed packets, never sends them
            b.allowCompression = compresses ? "asym" : "no";
        }
        if (compresses && b.allowCompression.equals("no")) {
            b.warnings.add("compression is configured but allow-compression is 'no': only framing is used");
        }
        if (!b.allowCompression.equals("no")) {
            b.warnings.add(ServerValueReader.COMPRESSION_WARNING);
        }
    }

    private void keepalive(Directive d) throws OvpnParseException {
        int interval = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
        int timeout = ArgValues.intIn(d, 1, 1, Integer.MAX_VALUE);
        if ((long) interval * 2 > timeout) {
            throw ArgValues.invalid(d, "restart timeout " + timeout + " must be at least twice the ping interval "
                    + interval);
        }
        b.ping = interval;
        b.pingRestart = timeout;
    }

    private void dns(Directive d) throws OvpnParseException {
        try {
            b.dns.add(d.args(), d.line());
        } catch (DnsOptions.DnsOptionException e) {
            throw ArgValues.invalid(d, e.getMessage());
        }
        if (d.args().size() > 3 && d.arg(0).equals("server") && UNAPPLIED_DNS.contains(d.arg(2))
                && !(d.arg(2).equals("transport") && d.arg(3).equals("plain"))) {
            b.warnings.add("line " + d.line() + ": 'dns " + String.join(" ", d.args()) + "' accepted but not applied: "
                    + "the servers are handed to the system resolver as plain DNS");
        }
    }

    private void mssfix(Directive d) throws OvpnParseException {
        b.mssfix = ArgValues.mssfix(d);
    }





    private AuthUserPass authUserPass(Directive d) throws OvpnParseException {
        if (!d.isInline() && d.args().isEmpty()) {
            return new AuthUserPass(null, null);
        }
        String text = keys.content(d, null);
        if (text == null) {
            return new AuthUserPass(null, null);
        }
        List<String> lines = OvpnFileParser.splitLines(text);
        String user = lines.isEmpty() ? "" : lines.get(0);
        if (user.isEmpty()) {
            throw ArgValues.invalid(d, "the first line must hold the username");
        }
        return new AuthUserPass(user, lines.size() > 1 ? lines.get(1) : null);
    }

    private static Route route(Directive d) throws OvpnParseException {
        String mask = defined(d.arg(1));
        String gateway = defined(d.arg(2));
        Integer metric = defined(d.arg(3)) == null ? null : ArgValues.intIn(d, 3, 0, Integer.MAX_VALUE);
        if (d.name().equals("route-ipv6")) {
            return new Route(d.arg(0), null, mask, gateway == null ? null : ArgValues.intIn(d, 2, 0, Integer.MAX_VALUE));
        }
        return new Route(d.arg(0), mask, gateway, metric);
    }

    private static String defined(String arg) {
        return arg == null || arg.equals("default") ? null : arg;
    }

    private static RedirectGateway redirect(Directive d) throws OvpnParseException {
        Set<String> flags = new LinkedHashSet<>();
        for (int i = 0; i < d.args().size(); i++) {
            flags.add(ArgValues.oneOf(d, i, REDIRECT_FLAGS));
        }
        return new RedirectGateway(flags, d.name().equals("redirect-private"));
    }
}
