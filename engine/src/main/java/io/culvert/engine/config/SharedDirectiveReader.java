package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies the directives both roles read the same way (device, keys, control-channel wrapping, TLS timers,
 * data channel, pings, management, status, verb) to a {@link SharedParts}, and runs the checks they share:
 * one control-channel wrapping, the device type, the {@code allow-compression} default. The role readers
 * handle only their own directives. One instance per read; not thread-safe.
 */
final class SharedDirectiveReader {
    /** Logged once when a config enables compression, as OpenVPN 2.6 warns. */
    static final String COMPRESSION_WARNING = "allow-compression is enabled: compression has been used in the past"
            + " to break encryption (VORACLE); Culvert decompresses what the peer sends but never compresses";

    private final SharedParts p;
    private final Path baseDir;
    private final KeyMaterial keys;
    private final boolean server;
    private Directive dev;
    private Directive devType;
    private Directive tlsAuth;
    private Directive tlsCrypt;
    private Directive tlsCryptV2;

    /** {@code server} selects the server's reading of {@code tls-crypt-v2} (its key label, force-cookie). */
    SharedDirectiveReader(SharedParts parts, Path baseDir, boolean server) {
        this.p = parts;
        this.baseDir = baseDir;
        this.keys = new KeyMaterial(baseDir);
        this.server = server;
    }

    /** The reader of inline and file key material, for directives handled by the role readers. */
    KeyMaterial keys() {
        return keys;
    }

    /**
     * The client's {@code askpass} file, or null to prompt. A file that cannot be read here (a profile written on
     * another machine) is a warning and a prompt at connect, as {@code auth-user-pass}'s; stock OpenVPN refuses to
     * start. A server keeps the name and fails when it reads it, as stock does.
     */
    private String askpass(Directive d) {
        String file = keys.askpass(d);
        if (file != null && !server && !java.nio.file.Files.isReadable(Path.of(file))) {
            p.warnings.add("line " + d.line() + ": the passphrase file " + d.arg(0) + " cannot be read on this machine;"
                    + " the passphrase will be asked for when connecting");
            return null;
        }
        return file;
    }

    /** Applies {@code d}; false when it is not one of the shared directives. */
    boolean apply(Directive d) throws OvpnParseException {
        switch (d.name()) {
            case "dev" -> dev = d;
            case "dev-type" -> devType = d;
            case "tun-mtu" -> p.tunMtu = ArgValues.intIn(d, 0, 100, 65535);
            case "mssfix" -> p.mssfix = ArgValues.mssfix(d);
            case "ca" -> p.caPem = keys.pem(d, p.caPem);
            case "capath" -> p.caPath = ConfigFiles.resolve(baseDir, d.arg(0)).toAbsolutePath().toString();
            case "cert" -> p.certPem = keys.pem(d, p.certPem);
            case "key" -> {
                p.keyPem = keys.pem(d, p.keyPem);
                p.keyName = KeyMaterial.sourceName(d);
            }
            case "pkcs12" -> {
                p.pkcs12 = keys.pkcs12(d);
                p.pkcs12Name = KeyMaterial.sourceName(d);
            }
            case "askpass" -> p.askpass = askpass(d);
            case "extra-certs" -> p.extraCertsPem = keys.pem(d, p.extraCertsPem);
            case "tls-auth" -> {
                tlsAuth = d;
                wrapConflict(d);
                p.tlsAuthKey = keys.staticKey(d, p.tlsAuthKey);
                if (d.args().size() > 1) {
                    p.keyDirection = KeyMaterial.keyDirection(d, 1);
                }
            }
            case "tls-crypt" -> {
                tlsCrypt = d;
                wrapConflict(d);
                p.tlsCryptKey = keys.staticKey(d, p.tlsCryptKey);
            }
            case "tls-crypt-v2" -> tlsCryptV2(d);
            case "key-direction" -> p.keyDirection = KeyMaterial.keyDirection(d, 0);
            case "hand-window" -> p.handWindow = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "tls-timeout" -> p.tlsTimeout = ArgValues.intIn(d, 0, 1, Integer.MAX_VALUE);
            case "reneg-sec" -> p.renegSec = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "auth" -> p.auth = d.arg(0);
            case "cipher" -> p.cipher = d.arg(0);
            case "data-ciphers", "ncp-ciphers" -> p.dataCiphers = DataCiphers.parse(d);
            case "data-ciphers-fallback" -> p.dataCiphersFallback = d.arg(0);
            case "comp-lzo" -> p.compLzo =
                    d.args().isEmpty() ? "adaptive" : ArgValues.oneOf(d, 0, List.of("yes", "no", "adaptive"));
            case "compress" -> p.compress = d.args().isEmpty() ? "stub"
                    : ArgValues.oneOf(d, 0, List.of("lzo", "lz4", "lz4-v2", "stub", "stub-v2", "migrate"));
            case "allow-compression" -> p.allowCompression = ArgValues.oneOf(d, 0, List.of("yes", "no", "asym"));
            case "ping" -> p.ping = ArgValues.intIn(d, 0, 0, Keepalive.PING_TIMEOUT_MAX);
            case "ping-restart" -> p.pingRestart = ArgValues.intIn(d, 0, 0, Keepalive.PING_TIMEOUT_MAX);
            case "session-timeout" -> p.sessionTimeout = ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "explicit-exit-notify" ->
                    p.explicitExitNotify = d.args().isEmpty() ? 1 : ArgValues.intIn(d, 0, 0, Integer.MAX_VALUE);
            case "management" -> p.management = String.join(" ", d.args());
            case "management-hold" -> p.managementHold = true;
            case "management-log-cache" -> p.managementLogCache = ArgValues.intIn(d, 0, 1, 1_000_000);
            case "status" -> {
                if (d.arg(0).isEmpty()) {
                    throw ArgValues.invalid(d, "no file name given");
                }
                p.statusFile = ConfigFiles.resolve(baseDir, d.arg(0)).toString();
                if (d.args().size() > 1) {
                    p.statusSeconds = ArgValues.intIn(d, 1, 1, Integer.MAX_VALUE);
                }
            }
            case "verb" -> p.verb = ArgValues.intIn(d, 0, 0, 11);
            case "ignore-unknown-option" -> { }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code tls-crypt-v2 FILE [force-cookie|allow-noncookie]}: a server always insists on the cookie exchange;
     * a client reads its client key.
     */
    private void tlsCryptV2(Directive d) throws OvpnParseException {
        tlsCryptV2 = d;
        wrapConflict(d);
        if (!server) {
            p.tlsCryptV2Key = keys.labelledPem(d, p.tlsCryptV2Key, "OpenVPN tls-crypt-v2 client key");
            return;
        }
        if (d.args().size() > 1 && !d.isInline()
                && ArgValues.oneOf(d, 1, List.of("force-cookie", "allow-noncookie")).equals("allow-noncookie")) {
            throw ArgValues.invalid(d, "allow-noncookie is not supported: Culvert keeps no state for a client before"
                    + " it resends its wrapped key (2.6 clients do); use force-cookie or leave it out");
        }
        p.tlsCryptV2Key = keys.labelledPem(d, p.tlsCryptV2Key, "OpenVPN tls-crypt-v2 server key");
    }

    private void wrapConflict(Directive later) throws OvpnParseException {
        if ((tlsAuth != null ? 1 : 0) + (tlsCrypt != null ? 1 : 0) + (tlsCryptV2 != null ? 1 : 0) > 1) {
            throw new OvpnParseException(later.line(), later.name(), Reason.CONFLICT,
                    "tls-auth, tls-crypt and tls-crypt-v2 are mutually exclusive");
        }
    }

    /**
     * Sets the device name and type from {@code dev} and {@code dev-type}; without {@code dev} the device is
     * {@code tun}, as OpenVPN 2.7 defaults it (2.6 asked for it).
     */
    void finishDevice() throws OvpnParseException {
        if (dev == null) {
            p.devName = "tun";
            p.devType = devType == null ? DevType.TUN : deviceType();
            return;
        }
        p.devName = dev.arg(0);
        p.devType = deviceType();
    }

    private DevType deviceType() throws OvpnParseException {
        if (devType != null) {
            return ArgValues.oneOf(devType, 0, List.of("tun", "tap")).equals("tun") ? DevType.TUN : DevType.TAP;
        }
        if (p.devName.startsWith("tun")) {
            return DevType.TUN;
        }
        if (p.devName.startsWith("tap")) {
            return DevType.TAP;
        }
        throw ArgValues.invalid(dev, "cannot tell the device type from '" + p.devName + "'; add dev-type tun or tap");
    }

    /**
     * Resolves {@code allow-compression} as 2.6 does: configuring compression ({@code compresses}) without it
     * receives compressed packets and never sends them; warns when compression is allowed.
     */
    void finishCompression(boolean compresses) {
        if (p.allowCompression == null) {
            p.allowCompression = compresses ? "asym" : "no";
        }
        if (!p.allowCompression.equals("no")) {
            p.warnings.add(COMPRESSION_WARNING);
        }
    }
}
