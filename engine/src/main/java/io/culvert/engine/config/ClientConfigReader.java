package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.Remote;
import io.culvert.engine.config.DirectiveValidator.Checked;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a validated {@link OvpnFile} into a {@link ClientConfig}: dispatches on catalogue support,
 * tracks remotes and connection blocks, and runs the cross-directive checks. One instance per read;
 * not thread-safe.
 */
final class ClientConfigReader {
    private static final Set<String> SERVER_MODE = Set.of("server", "server-bridge", "server-ipv6", "tls-server");

    /** OpenVPN's per-connection endpoint state; top-level remotes leave port and proto null until the end. */
    private static final class Endpoint {
        String host;
        Integer port;
        Proto proto;
        IpFamily family;
        int line;
        ProxyOptions proxy;
        /** A {@code culvert-remote-websocket} line's URL, or null. */
        WebSocketRemote webSocket;
        /** The block's own {@code culvert-websocket-token-file} / {@code culvert-websocket-ca}, resolved, or null. */
        String webSocketToken;
        String webSocketCa;
    }
    /** {@code culvert-websocket-ca}, resolved, or null. */
    private String webSocketCa;
    /** {@code culvert-websocket-token-file}, resolved, or null. */
    private String webSocketToken;

    private final ClientConfigBuilder b = new ClientConfigBuilder();
    private final ClientValueReader values;
    private final List<Endpoint> topRemotes = new ArrayList<>();
    private final List<Remote> blockRemotes = new ArrayList<>();
    private final boolean ignoreUnknown;
    private int defaultPort = ClientConfig.DEFAULT_PORT;
    private Proto defaultProto = Proto.UDP;
    private IpFamily defaultFamily = IpFamily.ANY;
    private boolean hasConnectionBlocks;
    private final ProxyOptions globalProxy = new ProxyOptions();

    private final Path baseDir;

    ClientConfigReader(Path baseDir, boolean ignoreUnknown) {
        this.ignoreUnknown = ignoreUnknown;
        this.baseDir = baseDir;
        this.values = new ClientValueReader(b, baseDir);
    }

    ClientConfig read(OvpnFile file) throws OvpnParseException {
        DirectiveValidator.Result checked = DirectiveValidator.validate(file, ignoreUnknown);
        b.shared.warnings.addAll(checked.warnings());
        int block = 0;
        for (Checked c : checked.global()) {
            if (c.directive().name().equals("connection")) {
                connectionBlock(c.directive(), checked.connections().get(block++));
            } else {
                apply(c, null);
            }
        }
        return finish();
    }

    private void connectionBlock(Directive tag, List<Checked> inner) throws OvpnParseException {
        hasConnectionBlocks = true;
        Endpoint e = new Endpoint();
        e.port = defaultPort;
        e.proto = defaultProto;
        e.family = defaultFamily;
        e.line = tag.line();
        e.proxy = globalProxy.copy();
        for (Checked c : inner) {
            apply(c, e);
        }
        if (e.host == null) {
            throw new OvpnParseException(tag.line(), "remote", Reason.MISSING_REQUIRED,
                    "<connection> block has no remote");
        }
        if (e.webSocket != null) {
            // the block's 'remote' line is for stock OpenVPN (it needs one); Culvert goes to the URL instead. The
            // block's own token and CA are kept here; the profile's fill in what the block does not name at the end
            blockRemotes.add(new Remote(e.webSocket.host(), e.webSocket.port(), Proto.TCP, IpFamily.ANY,
                    e.proxy.build(Proto.TCP), e.webSocket.withCa(e.webSocketCa).withToken(e.webSocketToken)));
        } else if (e.webSocketToken != null || e.webSocketCa != null) {
            throw new OvpnParseException(tag.line(), e.webSocketToken != null ? WebSocketListen.TOKEN_FILE
                    : WebSocketRemote.CA, Reason.CONFLICT, "a <connection> block without 'setenv opt "
                    + WebSocketRemote.DIRECTIVE + "' has no WebSocket remote to use it for");
        } else {
            blockRemotes.add(new Remote(e.host, e.port, e.proto, e.family, e.proxy.build(e.proto)));
        }
    }

    private void apply(Checked c, Endpoint block) throws OvpnParseException {
        Directive d = c.directive();
        Directives.Spec spec = c.spec();
        if (spec.role() == Role.SERVER) {
            if (SERVER_MODE.contains(d.name()) || (d.name().equals("mode") && !"p2p".equals(d.arg(0)))) {
                throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                        "server directive in a client profile");
            }
            ignore(d, "server-only directive");
            return;
        }
        switch (spec.support()) {
            case UNSUPPORTED -> throw new OvpnParseException(d.line(), d.name(), Reason.UNSUPPORTED_DIRECTIVE,
                    spec.note());
            case IGNORED -> b.shared.ignored.add(d.name());
            case WARN -> ignore(d, spec.note());
            case SUPPORTED -> supported(d, block);
        }
    }

    private void ignore(Directive d, String why) {
        b.shared.ignored.add(d.name());
        b.shared.warnings.add("line " + d.line() + ": '" + d.name() + "' ignored: " + why);
    }

    private void supported(Directive d, Endpoint block) throws OvpnParseException {
        switch (d.name()) {
            case "remote" -> remote(d, block);
            case "port", "rport" -> {
                int p = ArgValues.port(d, 0);
                if (block != null) {
                    block.port = p;
                } else {
                    defaultPort = p;
                }
            }
            case "proto" -> {
                ProtoSpec ps = ProtoSpec.parse(d, 0);
                if (block != null) {
                    block.proto = ps.proto();
                    block.family = ps.family();
                } else {
                    defaultProto = ps.proto();
                    defaultFamily = ps.family();
                }
            }
            case "proto-force" -> protoForce(d);
            case WebSocketRemote.DIRECTIVE -> {
                if (block != null) {
                    if (block.webSocket != null) {
                        throw new OvpnParseException(d.line(), d.name(), Reason.CONFLICT,
                                "a <connection> block names one WebSocket remote");
                    }
                    block.webSocket = WebSocketRemote.read(d);
                    return;
                }
                Endpoint e = new Endpoint();
                e.webSocket = WebSocketRemote.read(d);
                e.host = e.webSocket.host();
                e.port = e.webSocket.port();
                e.proto = Proto.TCP;
                e.family = IpFamily.ANY;
                e.line = d.line();
                topRemotes.add(e);
            }
            case WebSocketListen.TOKEN_FILE -> {
                String file = io.culvert.engine.config.file.ConfigFiles.resolve(baseDir, d.arg(0)).toString();
                if (block != null) {
                    block.webSocketToken = file;
                } else {
                    webSocketToken = file;
                }
            }
            case WebSocketRemote.CA -> {
                String file = io.culvert.engine.config.file.ConfigFiles.resolve(baseDir, d.arg(0)).toString();
                if (block != null) {
                    block.webSocketCa = file;
                } else {
                    webSocketCa = file;
                }
            }
            case "http-proxy", "http-proxy-option", "http-proxy-user-pass", "socks-proxy", "socks-proxy-user-pass" ->
                    (block != null ? block.proxy : globalProxy).apply(d, values.shared().keys());
            default -> values.apply(d);
        }
    }

    /**
     * {@code proto-force P}, as OpenVPN 2.7.6 reads it ({@code ascii2proto}, then {@code options_postprocess_mutate_ce}):
     * only remotes of protocol P are tried. A client's TCP remotes are {@code tcp-client} by then, so
     * {@code proto-force tcp} leaves none of them (stock says "No usable connection profiles are present").
     */
    private void protoForce(Directive d) throws OvpnParseException {
        String p = d.arg(0);
        forcedProtoLine = d.line();
        forcedProtoName = p;
        forcedProto = switch (p) {
            case "udp", "udp4", "udp6" -> Proto.UDP;
            case "tcp-client", "tcp4-client", "tcp6-client" -> Proto.TCP;
            case "tcp", "tcp4", "tcp6", "tcp-server", "tcp4-server", "tcp6-server" -> null;
            default -> throw ArgValues.invalid(d, "Bad --proto-force protocol: '" + p + "'");
        };
        protoForceSet = true;
    }

    private void remote(Directive d, Endpoint block) throws OvpnParseException {
        String host = d.arg(0);
        if (host.isEmpty()) {
            throw ArgValues.invalid(d, "empty host name");
        }
        Endpoint e = block != null ? block : new Endpoint();
        e.host = host;
        e.line = d.line();
        if (d.args().size() >= 2) {
            e.port = ArgValues.port(d, 1);
        }
        if (d.args().size() >= 3) {
            ProtoSpec ps = ProtoSpec.parse(d, 2);
            e.proto = ps.proto();
            e.family = ps.family();
        }
        if (block == null) {
            topRemotes.add(e);
        }
    }

    private ClientConfig finish() throws OvpnParseException {
        if (!b.tlsClient) {
            throw missing("client", "a client profile needs 'client' (or 'tls-client' and 'pull')");
        }
        values.shared().finishDevice();
        resolveRemotes();
        SharedParts s = b.shared;
        if (s.pkcs12 != null) {
            KeyMaterial.pkcs12Conflicts(s.certPem != null, s.keyPem != null);
        } else if (s.caPem == null && s.caPath == null) {
            throw missing("ca", "no CA certificate to verify the server (give ca or capath)");
        }
        if (s.certPem != null && s.keyPem == null) {
            throw missing("key", "cert is given without its private key");
        }
        if (s.keyPem != null && s.certPem == null) {
            throw missing("cert", "key is given without its certificate");
        }
        if (s.certPem == null && s.pkcs12 == null && b.authUserPass == null) {
            throw missing("cert", "neither a client certificate nor auth-user-pass is configured");
        }
        values.finish();
        boolean allTcp = b.remotes.stream().allMatch(r -> r.proto() == Proto.TCP);
        int localPort = b.nobind ? 0 : b.lport != null ? b.lport : allTcp && b.localAddress == null ? 0 : defaultPort;
        return b.build(localPort);
    }

    private boolean protoForceSet;
    /** The protocol proto-force keeps, or null when it keeps no client remote ({@code tcp}, {@code tcp-server}). */
    private Proto forcedProto;
    private String forcedProtoName;
    private int forcedProtoLine;

    private void resolveRemotes() throws OvpnParseException {
        if (hasConnectionBlocks) {
            for (Endpoint e : topRemotes) {
                b.shared.warnings.add("line " + e.line + ": 'remote' ignored because <connection> blocks are present");
            }
            for (Remote r : blockRemotes) {
                WebSocketRemote ws = r.webSocket();
                b.remotes.add(ws == null ? r : new Remote(r.host(), r.port(), r.proto(), r.family(), r.proxy(),
                        ws.withCa(ws.caFile() != null ? ws.caFile() : webSocketCa)
                                .withToken(ws.tokenFile() != null ? ws.tokenFile() : webSocketToken)));
            }
        } else {
            for (Endpoint e : topRemotes) {
                Proto proto = e.proto != null ? e.proto : defaultProto;
                b.remotes.add(new Remote(e.host, e.port != null ? e.port : defaultPort, proto,
                        e.proto != null ? e.family : defaultFamily, globalProxy.build(proto),
                        e.webSocket == null ? null : e.webSocket.withCa(webSocketCa).withToken(webSocketToken)));
            }
        }
        if (b.remotes.isEmpty()) {
            throw missing("remote", "no server to connect to");
        }
        if (protoForceSet) {
            b.remotes.removeIf(r -> r.proto() != forcedProto);
            if (b.remotes.isEmpty()) {
                throw new OvpnParseException(forcedProtoLine, "proto-force", Reason.CONFLICT, "No usable connection profiles"
                        + " are present: no remote uses " + forcedProtoName + " (as in OpenVPN, a client's TCP remotes"
                        + " are tcp-client; 'proto-force tcp' leaves none)");
            }
        }
    }

    private static OvpnParseException missing(String directive, String detail) {
        return new OvpnParseException(0, directive, Reason.MISSING_REQUIRED, detail);
    }
}
