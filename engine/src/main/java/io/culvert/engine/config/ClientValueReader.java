package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.RedirectGateway;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ClientConfig.VerifyX509Name;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the value-carrying client directives to a {@link ClientConfigBuilder}: those both roles share through
 * {@link SharedDirectiveReader}, the client's own here. Not thread-safe.
 */
final class ClientValueReader {
    private static final List<String> REDIRECT_FLAGS =
            List.of("local", "autolocal", "def1", "bypass-dhcp", "bypass-dns", "block-local", "ipv6", "!ipv4");
    private static final Set<String> UNAPPLIED_DNS = Set.of("dnssec", "transport", "sni");
    private static final List<String> TLS_VERSIONS = List.of("1.0", "1.1", "1.2", "1.3");

    private final ClientConfigBuilder b;
    private final SharedParts s;
    private final SharedDirectiveReader shared;

    ClientValueReader(ClientConfigBuilder b, Path baseDir) {
        this.b = b;
        this.s = b.shared;
        this.shared = new SharedDirectiveReader(b.shared, baseDir, false);
    }

    /** The reader of the directives both roles share. */
    SharedDirectiveReader shared() {
        return shared;
    }

    void apply(Directive d) throws OvpnParseException {
        if (shared.apply(d)) {
            return;
        }
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
            case "local" -> {
                // OpenVPN 2.7: local host|* [port] [proto]; a client binds one socket, its proto is the client's own.
                b.localAddress = d.arg(0).equals("*") ? null : d.arg(0);
                if (d.arg(1) != null) {
                    b.lport = ArgValues.port(d, 1);
                }
            }
            case "connect-retry" -> {
                b.connectRetrySeconds = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
                if (d.args().size() > 1) {
                    b.connectRetryMaxSeconds = ArgValues.intIn(d, 1, 0, Integer.MAX_VALUE);
                }
            }
            case "connect-retry-max" -> b.connectRetryMax = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            // openvpn: atoi_constrained(SHAPER_MIN 100, SHAPER_MAX 100000000)
            case "shaper" -> b.shaper = ArgValues.intIn(d, 0, 100, 100_000_000);
            case "bind-dev" -> b.bindDev = d.arg(0);
            case "allow-recursive-routing" -> b.allowRecursiveRouting = true;
            case KillSwitch.DIRECTIVE -> b.killSwitch = KillSwitch.read(d);
            case "route-table" -> b.routeTable = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "connect-timeout", "server-poll-timeout" ->
                    b.connectTimeoutSeconds = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "resolv-retry" -> b.resolvRetrySeconds =
                    "infinite".equals(d.arg(0)) ? -1 : ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "ping-exit" -> s.pingExit = ArgValues.intIn(d, 0, 0, Keepalive.PING_TIMEOUT_MAX);
            case "keepalive" -> keepalive(d);
            case "remote-cert-tls" -> s.remoteCertTls = ArgValues.oneOf(d, 0, List.of("server", "client"));
            case "ns-cert-type" -> s.nsCertType = ArgValues.oneOf(d, 0, List.of("server", "client"));
            case "verify-x509-name" -> s.verifyX509Name = new VerifyX509Name(d.arg(0),
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
                s.tlsVersionMin = ArgValues.oneOf(d, 0, TLS_VERSIONS);
                if (d.args().size() > 1) {
                    ArgValues.oneOf(d, 1, List.of("or-highest"));
                }
            }
            case "tls-version-max" -> s.tlsVersionMax = ArgValues.oneOf(d, 0, TLS_VERSIONS);
            case "tls-cipher" -> s.tlsCipher = d.arg(0);
            case "tls-ciphersuites" -> s.tlsCiphersuites = d.arg(0);
            case "tran-window" -> s.tranWindow = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "reneg-bytes" -> s.renegBytes = ArgValues.longIn(d, 0, 0, Long.MAX_VALUE);
            case "reneg-pkts" -> s.renegPkts = ArgValues.longIn(d, 0, 0, Long.MAX_VALUE);
            case "replay-window" -> {
                s.replayWindow = ArgValues.intIn(d, 0, 0, 65536);
                if (d.args().size() > 1) {
                    s.replayWindowSeconds = ArgValues.intIn(d, 1, 0, 600);
                }
            }
            case "route-nopull" -> b.routeNopull = true;
            case "route-noexec" -> b.routeExecution = new RouteExecution(true, b.routeExecution.delaySeconds());
            // route-delay's window (w) only bounds Windows' wait for the adapter; the delay is n (0 when absent).
            case "route-delay" -> b.routeExecution = new RouteExecution(b.routeExecution.noexec(),
                    d.args().isEmpty() ? 0 : ArgValues.intIn(d, 0, 0, 3600));
            // As in OpenVPN 2.7, a route takes the route-table read before it; a later route-table does not move it.
            case "route", "route-ipv6" -> b.routes.add(route(d, b.routeTable));
            case "redirect-gateway", "redirect-private" -> b.redirectGateway = redirect(d);
            case "pull-filter" -> b.pullFilters.add(
                    new PullFilter(ArgValues.oneOf(d, 0, List.of("accept", "ignore", "reject")), d.arg(1)));
            case "dhcp-option" -> b.dhcpOptions.add(new DhcpOption(d.arg(0), d.arg(1)));
            case "dns" -> dns(d);
            case "route-metric" -> b.routeMetric = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "inactive" -> {
                s.inactiveSeconds = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
                s.inactiveBytes = d.args().size() > 1 ? ArgValues.longIn(d, 1, 0, Long.MAX_VALUE) : 0;
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
        boolean compresses = (s.compress != null && !s.compress.startsWith("stub"))
                || (s.compLzo != null && !s.compLzo.equals("no"));
        if (compresses && "no".equals(s.allowCompression)) {
            s.warnings.add("compression is configured but allow-compression is 'no': only framing is used");
        }
        shared.finishCompression(compresses);
    }

    private void keepalive(Directive d) throws OvpnParseException {
        int interval = ArgValues.intIn(d, 0, 1, Keepalive.PING_TIMEOUT_MAX);
        int timeout = ArgValues.intIn(d, 1, 1, Keepalive.PING_TIMEOUT_MAX);
        if ((long) interval * 2 > timeout) {
            throw ArgValues.invalid(d, "restart timeout " + timeout + " must be at least twice the ping interval "
                    + interval);
        }
        s.ping = interval;
        s.pingRestart = timeout;
    }

    private void dns(Directive d) throws OvpnParseException {
        try {
            b.dns.add(d.args(), d.line());
        } catch (DnsOptions.DnsOptionException e) {
            throw ArgValues.invalid(d, e.getMessage());
        }
        if (d.args().size() > 3 && d.arg(0).equals("server") && UNAPPLIED_DNS.contains(d.arg(2))
                && !(d.arg(2).equals("transport") && d.arg(3).equals("plain"))) {
            s.warnings.add("line " + d.line() + ": 'dns " + String.join(" ", d.args()) + "' accepted but not applied: "
                    + "the servers are handed to the system resolver as plain DNS");
        }
    }

    private AuthUserPass authUserPass(Directive d) throws OvpnParseException {
        if (!d.isInline() && d.args().isEmpty()) {
            return new AuthUserPass(null, null);
        }
        String text;
        try {
            text = shared.keys().content(d, null);
        } catch (OvpnParseException e) {
            if (e.reason() != Reason.FILE_NOT_READABLE) {
                throw e;
            }
            // A profile written on another machine (auth-user-pass "C:\\...\\pass.txt"): the login is asked for
            // at connect, as when the directive names no file.
            s.warnings.add("line " + d.line() + ": the auth-user-pass file " + d.arg(0) + " cannot be read on this machine;"
                    + " the username and password will be asked for at connect");
            return new AuthUserPass(null, null);
        }
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

    private static Route route(Directive d, int table) throws OvpnParseException {
        String mask = defined(d.arg(1));
        String gateway = defined(d.arg(2));
        Integer metric = defined(d.arg(3)) == null ? null : ArgValues.intIn(d, 3, 0, Integer.MAX_VALUE);
        if (d.name().equals("route-ipv6")) {
            return new Route(d.arg(0), null, mask, gateway == null ? null : ArgValues.intIn(d, 2, 0, Integer.MAX_VALUE),
                    table);
        }
        return new Route(d.arg(0), mask, gateway, metric, table);
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
