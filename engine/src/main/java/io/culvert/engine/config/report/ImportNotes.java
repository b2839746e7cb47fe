package io.culvert.engine.config.report;

import io.culvert.engine.config.Monitoring;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.report.ImportClassifier.Verdict;
import io.culvert.engine.config.report.ImportReport.Status;
import java.util.Set;

/**
 * The notes of an {@link ImportReport} for directives Culvert acts on: which are honoured as written and
 * which are translated into an equivalent form. One instance per file; immutable.
 */
final class ImportNotes {
    private static final Set<String> DNS_TYPES = Set.of("DNS", "DNS6", "DOMAIN", "DOMAIN-SEARCH",
            "ADAPTER_DOMAIN_SUFFIX");
    private static final Set<String> STUB = Set.of("stub", "stub-v2");
    private static final String NO_COMPRESSION =
            " framing kept, but Culvert never compresses (stub); compressed packets from the peer are dropped"
            + " (add allow-compression asym to decompress them)";
    private static final String DECOMPRESS_ONLY =
            " framing kept; packets the peer compresses are decompressed, but Culvert never compresses its own"
            + " (valid for allow-compression yes too: every 2.6 peer accepts uncompressed packets)";

    private final Directive tlsAuth;
    private final Directive keyDirection;
    private final boolean allowCompression;

    ImportNotes(OvpnFile file) {
        Directive auth = null;
        Directive dir = null;
        boolean allow = false;
        for (Directive d : file.directives()) {
            if (d.name().equals("tls-auth")) {
                auth = d;
            } else if (d.name().equals("key-direction")) {
                dir = d;
            } else if (d.name().equals("allow-compression")) {
                allow = !"no".equals(d.arg(0));
            }
        }
        this.allowCompression = allow;
        this.tlsAuth = auth;
        this.keyDirection = dir;
    }

    /** A supported directive in a client profile. */
    Verdict client(Directive d) {
        return switch (d.name()) {
            case "keepalive" -> translated("ping " + d.arg(0) + " and ping-restart " + d.arg(1)
                    + " (keepalive is shorthand for both)");
            case "cipher" -> "BF-CBC".equalsIgnoreCase(d.arg(0))
                    ? Verdict.warn("BF-CBC (64-bit block) is not supported; the cipher is negotiated from data-ciphers")
                    : translated("used as data-ciphers-fallback for servers that do not negotiate ciphers");
            case "dhcp-option" -> DNS_TYPES.contains(d.arg(0))
                    ? Verdict.of(Status.SUPPORTED, "reported with the connection; the host's resolver set-up applies it")
                    : Verdict.of(Status.IGNORED, "Windows-only DHCP option; no effect on Linux");
            case "dns" -> dns(d);
            case "route-metric" -> Verdict.of(Status.SUPPORTED, "default metric of the routes Culvert installs");
            case "route-noexec" -> Verdict.warn("no route is installed, pushed or own (Culvert runs no route-up script)");
            case "route-delay" -> Verdict.of(Status.SUPPORTED, "routes are installed "
                    + (d.args().isEmpty() ? "0" : d.arg(0)) + " s after the tunnel is up");
            case "inactive" -> Verdict.of(Status.SUPPORTED, "the client exits after " + d.arg(0)
                    + " s without tunnel traffic" + (d.args().size() > 1 ? " (less than " + d.arg(1) + " bytes)" : ""));
            case "session-timeout" -> Verdict.of(Status.SUPPORTED, "the client exits " + d.arg(0)
                    + " s after the session starts, counted again from a push with timer options, as in OpenVPN");
            case "allow-recursive-routing" -> Verdict.of(Status.SUPPORTED, "tunnel packets to the server's own address and"
                    + " port are sent instead of dropped, as in OpenVPN");
            case "route-table" -> Verdict.of(Status.SUPPORTED, "the route and route-ipv6 lines after it go to routing table "
                    + d.arg(0) + " (the pushed routes to the profile's last route-table; redirect-gateway's IPv4 routes"
                    + " stay in main), as in OpenVPN 2.7");
            case "proto-force" -> Verdict.of(Status.SUPPORTED, "only remotes of this protocol are tried, as in OpenVPN"
                    + " (a client's TCP remotes match tcp-client, not tcp)");
            case "bind-dev" -> Verdict.of(Status.SUPPORTED, "the link socket (UDP or TCP) is bound to " + d.arg(0)
                    + " (SO_BINDTODEVICE, e.g. a VRF), as in OpenVPN; a link through a proxy is not");
            case "shaper" -> Verdict.of(Status.SUPPORTED, "what the client sends to the server is limited to " + d.arg(0)
                    + " bytes a second (headers included), as in OpenVPN");
            case "connect-timeout", "server-poll-timeout" -> Verdict.of(Status.SUPPORTED, "a server that has not answered "
                    + d.arg(0) + " s after the attempt began is left for the next remote, as in OpenVPN");
            case "auth-user-pass" -> Verdict.of(Status.SUPPORTED, d.args().isEmpty() && !d.isInline()
                    ? "username and password are asked when connecting" : "credentials read from the profile");
            case "connection" -> Verdict.of(Status.SUPPORTED, "alternative server; blocks are tried in order");
            case "status" -> Verdict.of(Status.SUPPORTED, "culvert client writes OpenVPN's client statistics there every "
                    + (d.args().size() > 1 ? d.arg(1) : Monitoring.DEFAULT_STATUS_SECONDS) + " s; a tunnel run"
                    + " through culvertd writes no status file");
            default -> common(d);
        };
    }

    private static Verdict dns(Directive d) {
        boolean unapplied = d.args().size() > 3 && d.arg(0).equals("server")
                && (d.arg(2).equals("dnssec") || d.arg(2).equals("sni")
                || (d.arg(2).equals("transport") && !d.arg(3).equals("plain")));
        return unapplied
                ? Verdict.warn("accepted but not applied: the servers are handed to the system resolver as plain DNS")
                : Verdict.of(Status.SUPPORTED, "applied through systemd-resolved; overrides dhcp-option DNS/DOMAIN");
    }

    /** A directive the Culvert server acts on. */
    Verdict server(Directive d) {
        return switch (d.name()) {
            case "keepalive" -> translated("ping " + d.arg(0) + " and ping-restart " + doubled(d.arg(1))
                    + " here; pushes ping " + d.arg(0) + " and ping-restart " + d.arg(1) + " to clients");
            case "session-timeout" -> Verdict.of(Status.SUPPORTED, "each client's instance is closed " + d.arg(0)
                    + " s after it began, without a word to the client, as in OpenVPN");
            case "dh" -> "none".equals(d.arg(0))
                    ? Verdict.of(Status.SUPPORTED, null)
                    : Verdict.of(Status.IGNORED, "Culvert uses ECDHE key exchange only; the DH parameters are not used");
            case "auth-user-pass-verify", "learn-address" -> Verdict.warn("recorded, but its script is not run");
            case "culvert-gateway" -> Verdict.of(Status.SUPPORTED, "Culvert's own gateway mode (forwarding, NAT,"
                    + " redirect-gateway and DNS pushed); stock OpenVPN cannot do this: it refuses the line unless it is"
                    + " written 'setenv opt culvert-gateway ...', which it skips");
            case "culvert-nat-route" -> Verdict.of(Status.SUPPORTED, "Culvert's own route to a network behind the server"
                    + " (route pushed, forwarding, NAT unless 'routed'); stock OpenVPN cannot do this: it refuses the line"
                    + " unless it is written 'setenv opt culvert-nat-route ...', which it skips");
            case "culvert-kill-switch" -> Verdict.of(Status.SUPPORTED, "Culvert's own kill switch: while the profile is"
                    + " active or reconnecting nothing leaves the machine but the tunnel and the link to the server; stock"
                    + " OpenVPN refuses the line unless it is written 'setenv opt culvert-kill-switch', which it skips");
            case "culvert-c2c-deny", "culvert-c2c-allow", "culvert-c2c-allow-only", "culvert-c2c-group" ->
                    Verdict.of(Status.SUPPORTED, "Culvert-only: stock openvpn ignores this (setenv opt). Culvert's"
                            + " client-to-client pair policy, enforced in the server's own router and counted as denied"
                            + " flows; stock OpenVPN cannot do this: it refuses the line unless it is written"
                            + " 'setenv opt " + d.name() + " ...', which it skips (and then lets every pair talk)");
            case "tcp-nodelay" -> Verdict.of(Status.SUPPORTED, "pushes socket-flags TCP_NODELAY to clients; the"
                    + " server's own TCP sockets always have it, as in OpenVPN 2.7.6");
            case "port-share" -> d.arg(2) == null
                    ? Verdict.of(Status.SUPPORTED, "TCP connections that are not OpenVPN are relayed to " + d.arg(0)
                            + " port " + d.arg(1))
                    : Verdict.warn("TCP connections that are not OpenVPN are relayed to " + d.arg(0) + " port "
                            + d.arg(1) + ", but no proxy-info files are written to " + d.arg(2));
            default -> common(d);
        };
    }

    private Verdict common(Directive d) {
        return switch (d.name()) {
            case "ncp-ciphers" -> translated("read as data-ciphers (renamed in OpenVPN 2.5)");
            case "comp-lzo" -> "no".equals(d.arg(0))
                    ? translated("compression stub framing: each packet is marked uncompressed, nothing is compressed")
                    : new Verdict(Status.TRANSLATED, "LZO" + compressionNote(), true, null);
            case "compress" -> d.args().isEmpty() || STUB.contains(d.arg(0)) ? Verdict.of(Status.SUPPORTED, null)
                    : new Verdict(Status.TRANSLATED, d.arg(0) + compressionNote(), true, null);
            case "allow-compression" -> "no".equals(d.arg(0)) ? Verdict.of(Status.SUPPORTED, null)
                    : new Verdict(Status.TRANSLATED, "compression is a security risk (VORACLE);" + DECOMPRESS_ONLY,
                            true, null);
            case "capath" -> Verdict.of(Status.SUPPORTED, "CA certificates (HASH.N) and CRLs (HASH.rN) of an"
                    + " 'openssl rehash' folder; a CRL there that lists the peer or a CA of its chain refuses it, as in"
                    + " OpenVPN");
            case "tls-auth" -> tlsAuth(d);
            case "key-direction" -> tlsAuth != null
                    ? translated("sets the direction of the tls-auth key on line " + tlsAuth.line())
                    : Verdict.of(Status.IGNORED, "only used with tls-auth, which this file does not have");
            case "ignore-unknown-option" -> Verdict.of(Status.SUPPORTED,
                    "unknown directives named here are kept and skipped");
            default -> Verdict.of(Status.SUPPORTED, null);
        };
    }

    private Verdict tlsAuth(Directive d) {
        boolean explicit = d.args().size() == (d.isInline() ? 1 : 2);
        if (explicit) {
            return Verdict.of(Status.SUPPORTED, "key direction " + d.args().getLast());
        }
        if (keyDirection != null) {
            return translated("key direction " + keyDirection.arg(0) + " from key-direction on line "
                    + keyDirection.line());
        }
        return Verdict.of(Status.SUPPORTED, "bidirectional key (no key direction)");
    }

    private String compressionNote() {
        return allowCompression ? DECOMPRESS_ONLY : NO_COMPRESSION;
    }

    /** Twice a number of seconds, as text; the text itself when it is not a number. */
    private static String doubled(String seconds) {
        try {
            return Long.toString(2 * Long.parseLong(seconds));
        } catch (NumberFormatException e) {
            return "2 x " + seconds;
        }
    }

    private static Verdict translated(String note) {
        return Verdict.of(Status.TRANSLATED, note);
    }
}
