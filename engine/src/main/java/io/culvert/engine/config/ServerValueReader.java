package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Applies the value-carrying server directives to a {@link ServerConfigBuilder}. Not thread-safe. */
final class ServerValueReader {
    /** Logged once when a config enables compression, as OpenVPN 2.6 warns. */
    static final String COMPRESSION_WARNING = "allow-compression is enabled: compression has been used in the past"
            + " to break encryption (VORACLE); Culvert decompresses what the peer sends but never compresses";

    private final ServerConfigBuilder b;
    private final Path baseDir;
    private final KeyMaterial keys;
    private Directive authUserPassVerify;
    private Directive clientScript;

    ServerValueReader(ServerConfigBuilder b, Path baseDir) {
        this.b = b;
        this.baseDir = baseDir;
        this.keys = new KeyMaterial(baseDir);
    }

    /** Applies {@code d}; false when this reader does not handle the directive. */
    boolean apply(Directive d) throws OvpnParseException {
        switch (d.name()) {
            case "port", "lport" -> b.port = ArgValues.port(d, 0);
            case "local" -> b.local = d.arg(0);
            case "client-config-dir" -> b.clientConfigDir = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
            case "push" -> push(d);
            case "push-reset" -> b.pushes.clear();
            case "push-remove" -> b.pushes.removeIf(p -> p.split(" ", 2)[0].equals(d.arg(0)));
            case "route" -> b.routes.add(new Route(d.arg(0), defined(d.arg(1)), defined(d.arg(2)),
                    defined(d.arg(3)) == null ? null : ArgValues.intIn(d, 3, 0, Integer.MAX_VALUE)));
            case "route-ipv6" -> {
                IpText.prefix6(d, 0, 0, 128, 128);
                b.ipv6Routes.add(new Route(d.arg(0), null, defined(d.arg(1)),
                        defined(d.arg(2)) == null ? null : ArgValues.intIn(d, 2, 0, Integer.MAX_VALUE)));
            }
            case "client-to-client" -> b.clientToClient = true;
            case "duplicate-cn" -> b.duplicateCn = true;
            case "max-clients" -> b.maxClients = ArgValues.intIn(d, 0, 1, ServerConfig.MAX_POOL_SIZE);
            case "max-routes-per-client" -> b.maxRoutesPerClient = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "ping" -> b.ping = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "ping-restart" -> b.pingRestart = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "dh" -> dh(d);
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
            case "crl-verify" -> crl(d);
            case "tls-auth" -> {
                b.tlsAuthKey = keys.staticKey(d, b.tlsAuthKey);
                if (d.args().size() > 1) {
                    b.keyDirection = KeyMaterial.keyDirection(d, 1);
                }
            }
            case "tls-crypt" -> b.tlsCryptKey = keys.staticKey(d, b.tlsCryptKey);
            case "tls-crypt-v2" -> tlsCryptV2(d);
            case "tls-crypt-v2-max-age" -> b.tlsCryptV2MaxAge = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE / 86_400);
            case "key-direction" -> b.keyDirection = KeyMaterial.keyDirection(d, 0);
            case "auth" -> b.auth = d.arg(0);
            case "cipher" -> b.cipher = d.arg(0);
            case "data-ciphers", "ncp-ciphers" -> b.dataCiphers = DataCiphers.parse(d);
            case "data-ciphers-fallback" -> b.dataCiphersFallback = d.arg(0);
            case "tun-mtu" -> b.tunMtu = ArgValues.intIn(d, 0, 100, 65535);
            case "mssfix" -> {
                b.mssfix = ArgValues.mssfix(d);
                if (d.args().size() > 1) {
                    ArgValues.oneOf(d, 1, List.of("mtu", "fixed"));
                }
            }
            case "explicit-exit-notify" ->
                    b.explicitExitNotify = d.args().isEmpty() ? 1 : ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "reneg-sec" -> b.renegSec = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "hand-window" -> b.handWindow = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "tls-timeout" -> b.tlsTimeout = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "verify-client-cert" -> b.verifyClientCert = VerifyClientCert.valueOf(
                    ArgValues.oneOf(d, 0, List.of("none", "optional", "require")).toUpperCase(Locale.ROOT));
            case "remote-cert-tls" -> {
                if (!ArgValues.oneOf(d, 0, List.of("client", "server")).equals("client")) {
                    throw ArgValues.invalid(d, "a server checks client certificates: use 'remote-cert-tls client'");
                }
                b.remoteCertTls = "client";
            }
            case "username-as-common-name" -> b.usernameAsCommonName = true;
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
            case "management" -> b.management = String.join(" ", d.args());
            case "management-hold" -> b.managementHold = true;
            case "management-log-cache" -> b.managementLogCache = ArgValues.intIn(d, 0, 1, 1_000_000);
            case "status" -> {
                if (d.arg(0).isEmpty()) {
                    throw ArgValues.invalid(d, "no file name given");
                }
                b.statusFile = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
                if (d.args().size() > 1) {
                    b.statusSeconds = ArgValues.intIn(d, 1, 1, Integer.MAX_VALUE);
                }
            }
            case "verb" -> b.verb = ArgValues.intIn(d, 0, 0, 11);
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
            case "comp-lzo" -> b.compLzo =
                    d.args().isEmpty() ? "adaptive" : ArgValues.oneOf(d, 0, List.of("yes", "no", "adaptive"));
            case "compress" -> b.compress = d.args().isEmpty() ? "stub"
                    : ArgValues.oneOf(d, 0, List.of("lzo", "lz4", "lz4-v2", "stub", "stub-v2", "migrate"));
            case "allow-compression" -> b.allowCompression = ArgValues.oneOf(d, 0, List.of("yes", "no", "asym"));
            case "ignore-unknown-option" -> { }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Cross-directive checks and warnings once every directive has been applied. */
    void finish() throws OvpnParseException {
        if (b.dhFile != null && !b.dhFile.equals("none")) {
            b.warnings.add("dh parameters are ignored: Culvert uses ECDHE key exchange only");
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
        boolean compresses = (b.compress != null && !b.compress.startsWith("stub") && !b.compress.equals("migrate"))
                || (b.compLzo != null && !b.compLzo.equals("no"));
        if (b.allowCompression == null) {
            // 2.6: configuring compression without allow-compression receives compressed packets, never sends them
            b.allowCompression = compresses ? "asym" : "no";
        }
        if (!b.allowCompression.equals("no")) {
            b.warnings.add(COMPRESSION_WARNING);
        }
    }

    /** {@code tls-crypt-v2 FILE [force-cookie|allow-noncookie]}: Culvert always insists on the cookie exchange. */
    private void tlsCryptV2(Directive d) throws OvpnParseException {
        if (d.args().size() > 1 && !d.isInline()
                && ArgValues.oneOf(d, 1, List.of("force-cookie", "allow-noncookie")).equals("allow-noncookie")) {
            throw ArgValues.invalid(d, "allow-noncookie is not supported: Culvert keeps no state for a client before"
                    + " it resends its wrapped key (2.6 clients do); use force-cookie or leave it out");
        }
        b.tlsCryptV2Key = keys.labelledPem(d, b.tlsCryptV2Key, "OpenVPN tls-crypt-v2 server key");
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
