package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the proxy directives of one scope (the profile, or one {@code <connection>} block, which starts from the
 * profile's settings so far) and builds its {@link ProxyConfig}. Not thread-safe.
 */
final class ProxyOptions {
    private static final List<String> HTTP_METHODS = List.of("none", "basic", "ntlm", "ntlm2", "digest");

    private Directive http;
    private Directive socks;
    private ProxyConfig.HttpAuth auth = ProxyConfig.HttpAuth.AUTO;
    private AuthUserPass httpCredentials;
    private AuthUserPass userPassBlock;
    private AuthUserPass socksCredentials;
    private AuthUserPass socksUserPassBlock;
    private String version = "1.0";
    private String agent;
    private final List<List<String>> headers = new ArrayList<>();

    ProxyOptions copy() {
        ProxyOptions c = new ProxyOptions();
        c.http = http;
        c.socks = socks;
        c.auth = auth;
        c.httpCredentials = httpCredentials;
        c.userPassBlock = userPassBlock;
        c.socksCredentials = socksCredentials;
        c.socksUserPassBlock = socksUserPassBlock;
        c.version = version;
        c.agent = agent;
        c.headers.addAll(headers);
        return c;
    }

    /** True when {@code d} is a proxy directive, now applied. */
    boolean apply(Directive d, KeyMaterial keys) throws OvpnParseException {
        switch (d.name()) {
            case "http-proxy" -> http(d, keys);
            case "http-proxy-user-pass" -> userPassBlock = credentials(d, keys.content(d, null));
            case "socks-proxy-user-pass" -> socksUserPassBlock = credentials(d, keys.content(d, null));
            case "http-proxy-option" -> option(d);
            case "socks-proxy" -> {
                socks = d;
                socksCredentials = d.args().size() > 2 ? fileCredentials(d, 2, keys) : null;
                if (d.args().size() > 1) {
                    ArgValues.port(d, 1);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The proxy for a remote using {@code proto}, or null; OpenVPN's checks included. */
    ProxyConfig build(Proto proto) throws OvpnParseException {
        if (http != null && socks != null) {
            throw new OvpnParseException(socks.line(), "socks-proxy", Reason.CONFLICT,
                    "--http-proxy can not be used together with --socks-proxy");
        }
        if (http != null) {
            if (proto != Proto.TCP) {
                throw new OvpnParseException(http.line(), "http-proxy", Reason.CONFLICT,
                        "--http-proxy MUST be used in TCP Client mode (i.e. --proto tcp-client)");
            }
            AuthUserPass creds = userPassBlock != null ? userPassBlock : httpCredentials;
            return new ProxyConfig.Http(http.arg(0), ArgValues.port(http, 1), auth, creds, version, agent, headers);
        }
        if (socks != null) {
            int port = socks.args().size() > 1 ? ArgValues.port(socks, 1) : 1080;
            return new ProxyConfig.Socks(socks.arg(0), port, socksUserPassBlock != null ? socksUserPassBlock : socksCredentials);
        }
        return null;
    }

    private void http(Directive d, KeyMaterial keys) throws OvpnParseException {
        if (d.args().size() < 2) {
            throw ArgValues.invalid(d, "http-proxy port number not defined");
        }
        ArgValues.port(d, 1);
        http = d;
        auth = ProxyConfig.HttpAuth.AUTO;
        httpCredentials = null;
        String file = d.args().size() > 2 ? d.arg(2) : null;
        if (file == null) {
            return;
        }
        if (file.equals("auto") || file.equals("auto-nct")) {
            auth = file.equals("auto") ? ProxyConfig.HttpAuth.AUTO : ProxyConfig.HttpAuth.AUTO_NCT;
            return;
        }
        String method = d.args().size() > 3 ? ArgValues.oneOf(d, 3, HTTP_METHODS) : "basic";
        switch (method) {
            case "none" -> auth = ProxyConfig.HttpAuth.AUTO;
            case "basic" -> {
                auth = ProxyConfig.HttpAuth.BASIC;
                httpCredentials = fileCredentials(d, 2, keys);
            }
            default -> throw ArgValues.invalid(d, "proxy authentication method '" + method
                    + "' is not supported; Culvert speaks Basic only (use 'basic' or 'auto')");
        }
    }

    private void option(Directive d) throws OvpnParseException {
        String type = d.arg(0);
        switch (type) {
            case "VERSION" -> version = ArgValues.oneOf(d, 1, List.of("1.0", "1.1"));
            case "AGENT" -> agent = required(d, 1);
            case "CUSTOM-HEADER" -> {
                List<String> h = new ArrayList<>();
                h.add(required(d, 1));
                h.add(d.args().size() > 2 ? d.arg(2) : null);
                headers.add(h);
            }
            default -> throw ArgValues.invalid(d, "unknown http-proxy-option '" + type
                    + "' (VERSION, AGENT and CUSTOM-HEADER are supported)");
        }
    }

    private static String required(Directive d, int index) throws OvpnParseException {
        if (d.args().size() <= index || d.arg(index).isEmpty()) {
            throw ArgValues.invalid(d, "'" + d.arg(0) + "' needs a value");
        }
        return d.arg(index);
    }

    /**
     * An auth file named by argument {@code index}; {@code stdin} means ask the user, {@code [inline]} that the
     * credentials come in an {@code <http-proxy-user-pass>} or {@code <socks-proxy-user-pass>} block (how the
     * caller's side of culvertd sends the file's content: null here, the block wins in {@link #build}).
     */
    private static AuthUserPass fileCredentials(Directive d, int index, KeyMaterial keys) throws OvpnParseException {
        String name = d.arg(index);
        if (name.equals("stdin")) {
            return new AuthUserPass(null, null);
        }
        if (name.equals(Directives.INLINE_PLACEHOLDER)) {
            return null;
        }
        Directive fileRef = new Directive(d.name(), List.of(name), d.line(), null);
        return credentials(d, keys.content(fileRef, null));
    }

    private static AuthUserPass credentials(Directive d, String text) throws OvpnParseException {
        List<String> lines = text == null ? List.of() : OvpnFileParser.splitLines(text);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw ArgValues.invalid(d, "the proxy credentials need the username on the first line");
        }
        if (lines.size() < 2) {
            throw ArgValues.invalid(d, "the proxy credentials need the password on the second line");
        }
        return new AuthUserPass(lines.get(0), lines.get(1));
    }
}
