package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Applies the value-carrying server directives to a {@link ServerConfigBuilder}: those both roles share through
 * {@link SharedDirectiveReader}, the server's own here. Not thread-safe.
 */
final class ServerValueReader {
    private final ServerConfigBuilder b;
    private final SharedParts s;
    private final SharedDirectiveReader shared;
    private final Path baseDir;
    private final KeyMaterial keys;
    private Directive authUserPassVerify;
    private Directive clientScript;

    ServerValueReader(ServerConfigBuilder b, Path baseDir) {
        this.b = b;
        this.s = b.shared;
        this.shared = new SharedDirectiveReader(b.shared, baseDir, true);
        this.baseDir = baseDir;
        this.keys = shared.keys();
    }

    /** The reader of the directives both roles share. */
    SharedDirectiveReader shared() {
        return shared;
    }

    /**
     * {@code local host|* [port] [proto]}, as OpenVPN 2.7 reads it: each line is one listening socket; {@code *} is
     * the wildcard; a missing port or proto is the config's {@code port} and {@code proto}; {@code tcp} means
     * {@code tcp-server}.
     */
    private void local(Directive d) throws OvpnParseException {
        String host = d.arg(0).equals("*") ? null : d.arg(0);
        Integer port = d.arg(1) == null ? null : ArgValues.port(d, 1);
        ServerConfigBuilder.LocalLine line;
        if (d.arg(2) == null) {
            line = new ServerConfigBuilder.LocalLine(host, port, null, null);
        } else {
            ServerConfigReader.Protocol p = ServerConfigReader.protocol(d, 2);
            line = new ServerConfigBuilder.LocalLine(host, port, p.proto(), p.family());
        }
        if (b.locals.contains(line)) {
            throw ArgValues.invalid(d, "the same socket is listed twice");
        }
        b.locals.add(line);
        b.local = b.locals.size() == 1 ? host : b.local;
    }

    /** {@code n s} of {@code connect-freq} and {@code connect-freq-initial}: both at least 1, as OpenVPN checks. */
    private static ServerClients.Rate rate(Directive d) throws OvpnParseException {
        return new ServerClients.Rate(ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE),
                ArgValues.intIn(d, 1, 1, Integer.MAX_VALUE));
    }

    /** {@code port-share host port [dir]}; the host is resolved when the server starts, as OpenVPN does. */
    private void portShare(Directive d) throws OvpnParseException {
        if (d.arg(0).isBlank()) {
            throw ArgValues.invalid(d, "the host to share the port with is empty");
        }
        b.portShare = new Listen.PortShare(d.arg(0), ArgValues.port(d, 1), d.arg(2));
        b.portShareLine = d.line();
        if (d.arg(2) != null) {
            b.shared.warnings.add("line " + d.line() + ": 'port-share' relays connections, but its proxy-info folder "
                    + "is not applied: no files naming each relayed client's address are written to " + d.arg(2));
        }
    }

    /** Applies {@code d}; false when this reader does not handle the directive. */
    boolean apply(Directive d) throws OvpnParseException {
        if (shared.apply(d)) {
            return true;
        }
        switch (d.name()) {
            case "port", "lport" -> b.port = ArgValues.port(d, 0);
            case "local" -> local(d);
            case "multihome" -> {
                if (d.arg(0) != null) {
                    ArgValues.oneOf(d, 0, List.of("same-interface"));
                    b.sameInterface = true;
                }
                b.multihome = true;
                b.multihomeLine = d.line();
            }
            case "port-share" -> portShare(d);
            case WebSocketListen.DIRECTIVE -> {
                if (b.webSocket != null) {
                    throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                            "culvert-websocket is already given on line " + b.webSocket.line());
                }
                b.webSocket = WebSocketListen.read(d);
            }
            case WebSocketListen.TRUSTED_PROXY -> b.trustedProxies.add(WebSocketListen.trustedProxy(d));
            case WebSocketListen.GROUP -> b.webSocketGroup = WebSocketListen.group(d);
            case WebSocketListen.TOKEN_FILE -> b.webSocketTokenFile = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
            case WebSocketListen.CLIENT_CN_HEADER -> b.webSocketCnHeader = WebSocketListen.clientCnHeader(d);
            case "tcp-nodelay" -> b.tcpNodelay = true;
            case "bind-dev" -> b.bindDev = d.arg(0);
            case "connect-freq" -> {
                b.connectFreq = rate(d);
                b.connectFreqLine = d.line();
            }
            case "connect-freq-initial" -> b.connectFreqInitial = rate(d);
            case "client-config-dir" -> b.clientConfigDir = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
            case "push" -> push(d);
            case "push-reset" -> b.pushes.clear();
            case "push-remove" -> b.pushes.removeIf(p -> p.startsWith(d.arg(0))); // OpenVPN's push_remove_option
            // As in OpenVPN 2.7, a route takes the route-table read before its line; a later one does not move it.
            case "route-table" -> b.routeTable = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "route" -> b.routes.add(new Route(d.arg(0), defined(d.arg(1)), defined(d.arg(2)),
                    defined(d.arg(3)) == null ? null : ArgValues.intIn(d, 3, 0, Integer.MAX_VALUE), b.routeTable));
            case "route-ipv6" -> {
                IpText.prefix6(d, 0, 0, 128, 128);
                b.ipv6Routes.add(new Route(d.arg(0), null, defined(d.arg(1)),
                        defined(d.arg(2)) == null ? null : ArgValues.intIn(d, 2, 0, Integer.MAX_VALUE), b.routeTable));
            }
            case "client-to-client" -> b.clientToClient = true;
            case "duplicate-cn" -> b.duplicateCn = true;
            case "max-clients" -> b.maxClients = ArgValues.intIn(d, 0, 1, ServerConfig.MAX_POOL_SIZE);
            case "max-routes-per-client" -> b.maxRoutesPerClient = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "dh" -> dh(d);
            case "crl-verify" -> crl(d);
            case "tls-crypt-v2-max-age" -> s.tlsCryptV2MaxAge = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE / 86_400);
            case "verify-client-cert" -> b.verifyClientCert = VerifyClientCert.valueOf(
                    ArgValues.oneOf(d, 0, List.of("none", "optional", "require")).toUpperCase(Locale.ROOT));
            case "remote-cert-tls" -> {
                if (!ArgValues.oneOf(d, 0, List.of("client", "server")).equals("client")) {
                    throw ArgValues.invalid(d, "a server checks client certificates: use 'remote-cert-tls client'");
                }
                s.remoteCertTls = "client";
            }
            case "ns-cert-type" -> {
                if (!ArgValues.oneOf(d, 0, List.of("client", "server")).equals("client")) {
                    throw ArgValues.invalid(d, "a server checks client certificates: use 'ns-cert-type client'");
                }
                s.nsCertType = "client";
            }
            case "username-as-common-name" -> b.usernameAsCommonName = true;
            case "x509-username-field" -> {
                for (String f : d.args()) {
                    if (f.startsWith("ext:")) {
                        throw ArgValues.invalid(d, "'" + f + "': certificate extensions are not read yet; name a subject"
                                + " field (CN, emailAddress, OU...) or serialNumber");
                    }
                    if (!f.equals("serialNumber") && !io.culvert.engine.common.X509Names.known(f, false)) {
                        throw ArgValues.invalid(d, "no such certificate field '" + f + "'");
                    }
                }
                b.usernameFields = d.args();
            }
            case "x509-track" -> {
                String name = d.arg(0).startsWith("+") ? d.arg(0).substring(1) : d.arg(0);
                if (!io.culvert.engine.common.X509Names.known(name, true)) {
                    throw ArgValues.invalid(d, "x509_track: no such attribute '" + name + "'"); // openvpn's words
                }
                b.x509Track.add(d.arg(0));
            }
            case "auth-user-pass-verify" -> {
                ArgValues.oneOf(d, 1, List.of("via-env", "via-file"));
                if (d.arg(0).isBlank()) {
                    throw ArgValues.invalid(d, "no script given");
                }
                b.authUserPassVerify = d.args();
                authUserPassVerify = d;
            }
            case "auth-user-pass-optional" -> b.authUserPassOptional = true;
            case "tmp-dir" -> b.tmpDir = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
            case "script-security" -> b.scriptSecurity = ArgValues.intIn(d, 0, 0, 3);
            case "learn-address" -> {
                b.learnAddress = d.args();
                clientScript = clientScript == null ? d : clientScript;
            }
            case "client-connect" -> {
                b.clientConnect = String.join(" ", d.args());
                clientScript = d;
            }
            case "client-disconnect" -> {
                b.clientDisconnect = String.join(" ", d.args());
                clientScript = clientScript == null ? d : clientScript;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Cross-directive checks and warnings once every directive has been applied. */
    void finish() throws OvpnParseException {
        if (b.dhFile != null && !b.dhFile.equals("none")) {
            s.warnings.add("dh parameters are ignored: Culvert uses ECDHE key exchange only");
        }
        if (clientScript != null && b.scriptSecurity < 2) {
            throw new OvpnParseException(clientScript.line(), clientScript.name(), Reason.CONFLICT,
                    "runs an external script and needs 'script-security 2' or higher");
        }
        if (authUserPassVerify != null) {
            boolean viaEnv = b.authUserPassVerify.get(1).equals("via-env");
            int needed = viaEnv ? 3 : 2;
            if (b.scriptSecurity < needed) {
                throw new OvpnParseException(authUserPassVerify.line(), authUserPassVerify.name(), Reason.CONFLICT, ""
                        + (viaEnv ? "via-env passes passwords in the environment and needs 'script-security 3'"
                        : "runs an external script and needs 'script-security 2' or higher"));
            }
        }
        boolean compresses = (s.compress != null && !s.compress.startsWith("stub") && !s.compress.equals("migrate"))
                || (s.compLzo != null && !s.compLzo.equals("no"));
        shared.finishCompression(compresses);
    }

    private void push(Directive d) throws OvpnParseException {
        String option = d.arg(0).strip();
        if (option.isEmpty()) {
            throw ArgValues.invalid(d, "empty pushed option");
        }
        if (option.indexOf(',') >= 0) {
            throw ArgValues.invalid(d, "a pushed option cannot contain a comma");
        }
        b.pushes.add(option);
    }

    private void dh(Directive d) throws OvpnParseException {
        if (!d.isInline() && d.arg(0).equals("none")) {
            b.dhFile = "none";
            return;
        }
        String text = keys.content(d, null);
        if (text != null && !text.contains("-----BEGIN ")) {
            throw ArgValues.invalid(d, "no PEM block (-----BEGIN DH PARAMETERS-----) found");
        }
        b.dhFile = d.isInline() ? "[inline]" : d.arg(0);
    }

    private void crl(Directive d) throws OvpnParseException {
        if (d.args().size() > 1) {
            ArgValues.oneOf(d, 1, List.of("dir"));
            b.crlDir = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
            b.crlPem = null;
            b.crlFile = null;
            return;
        }
        b.crlPem = keys.pem(d, b.crlPem);
        b.crlDir = null;
        // a file (not an inline block) is re-read by the server when it changes, as OpenVPN does
        if (!d.isInline() && !d.arg(0).equals("[inline]")) {
            b.crlFile = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
        } else if (d.isInline()) {
            b.crlFile = null;
        }
    }

    private static String defined(String arg) {
        return arg == null || arg.equals("default") ? null : arg;
    }
}
