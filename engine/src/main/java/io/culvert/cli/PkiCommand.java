package io.culvert.cli;

import io.culvert.engine.api.CertificateExpiry;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.pki.CertKind;
import io.culvert.engine.pki.CrlInfo;
import io.culvert.engine.pki.DirectoryPkiStore;
import io.culvert.engine.pki.ExportOptions;
import io.culvert.engine.pki.IssuedCert;
import io.culvert.engine.pki.KeyAlgorithm;
import io.culvert.engine.pki.Pki;
import io.culvert.engine.pki.PkiStore;
import io.culvert.engine.pki.RevokeReason;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.pki.UnifiedProfile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code culvert pki init|issue|revoke|renew|list|crl|export}: administers a CA folder (default {@code ./pki}).
 * Exit codes as {@link Main}. Private keys are never printed except inside an exported profile.
 */
final class PkiCommand {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** Options that take a value; everything else starting with -- is a flag. */
    private static final Set<String> VALUED = Set.of("--dir", "--algo", "--ca-name", "--server-cn", "--ca-days", "--days",
            "--reason", "--warn-days", "--remote", "--server-config", "--port", "--proto", "--dev", "--wrap", "--out");

    private PkiCommand() {}

    /** Parsed command line: positional words and {@code --name value} options. */
    private record Args(List<String> words, Map<String, String> options) {
        String opt(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        int days(String name, int fallback) {
            String v = options.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " needs a positive number, got '" + v + "'");
        }
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        LogLevel.apply(2); // the CLI prints its own summary; keep INFO logs off stdout (export may write to it)
        Args args;
        try {
            args = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("culvert pki: " + e.getMessage() + "\n" + usage());
            return 2;
        }
        if (args.words().isEmpty()) {
            err.println(usage());
            return 2;
        }
        DirectoryPkiStore store = new DirectoryPkiStore(Path.of(args.opt("--dir", "pki")));
        Pki pki = new Pki(store, InstantSource.system(), new SecureRandom());
        String cmd = args.words().getFirst();
        try {
            return switch (cmd) {
                case "init" -> init(pki, store, args, out);
                case "issue" -> issue(pki, store, args, out);
                case "renew" -> renew(pki, store, args, out);
                case "revoke" -> revoke(pki, store, args, out);
                case "crl" -> crl(pki, store, args, out);
                case "list" -> list(pki, args, out);
                case "export" -> export(pki, args, out, err);
                default -> {
                    err.println("culvert pki: unknown command '" + cmd + "'\n" + usage());
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("culvert pki " + cmd + ": " + e.getMessage());
            return 2;
        } catch (IOException | OvpnParseException e) {
            err.println("culvert pki " + cmd + ": " + e.getMessage());
            return 1;
        }
    }

    private static Args parse(List<String> argv) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--")) {
                if (VALUED.contains(a)) {
                    if (i + 1 >= argv.size()) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    options.put(a, argv.get(++i));
                } else if (a.equals("--server")) {
                    options.put(a, "");
                } else {
                    throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            } else {
                words.add(a);
            }
        }
        return new Args(words, options);
    }

    private static String name(Args args, String cmd) {
        if (args.words().size() != 2) {
            throw new IllegalArgumentException(cmd + " needs exactly one common name");
        }
        return args.words().get(1);
    }

    private static int init(Pki pki, DirectoryPkiStore store, Args args, PrintStream out) throws IOException {
        String algoName = args.opt("--algo", "ec");
        KeyAlgorithm algo = KeyAlgorithm.parse(algoName)
                .orElseThrow(() -> new IllegalArgumentException("--algo must be ec, rsa2048 or rsa3072, got '" + algoName + "'"));
        String serverCn = args.opt("--server-cn", "server");
        pki.init(args.opt("--ca-name", "Culvert CA"), algo, args.days("--ca-days", Pki.DEFAULT_CA_DAYS), serverCn,
                args.days("--days", Pki.DEFAULT_CERT_DAYS));
        out.println("Created a " + algo.cliName() + " CA in " + store.root());
        out.println("  ca " + store.caCertificateFile());
        out.println("  cert " + store.certificateFile(serverCn));
        out.println("  key " + store.privateKeyFile(serverCn));
        out.println("  crl-verify " + store.crlFile());
        out.println("  tls-crypt " + store.staticKeyFile(PkiStore.StaticKeyKind.TLS_CRYPT));
        out.println("  tls-auth " + store.staticKeyFile(PkiStore.StaticKeyKind.TLS_AUTH) + " 0");
        return 0;
    }

    private static int issue(Pki pki, DirectoryPkiStore store, Args args, PrintStream out) throws IOException {
        String cn = name(args, "issue");
        CertKind kind = args.options().containsKey("--server") ? CertKind.SERVER : CertKind.CLIENT;
        IssuedCert e = pki.issue(cn, kind, args.days("--days", Pki.DEFAULT_CERT_DAYS));
        out.println("Issued " + kind.label() + " certificate '" + cn + "' serial " + e.serialHex() + ", expires "
                + DATE.format(e.notAfter()));
        out.println("  " + store.certificateFile(cn) + "\n  " + store.privateKeyFile(cn));
        return 0;
    }

    private static int renew(Pki pki, DirectoryPkiStore store, Args args, PrintStream out) throws IOException {
        String cn = name(args, "renew");
        IssuedCert e = pki.renew(cn, args.days("--days", Pki.DEFAULT_CERT_DAYS));
        out.println("Renewed '" + cn + "': new key, serial " + e.serialHex() + ", expires " + DATE.format(e.notAfter()));
        out.println("The previous certificate stays valid until it expires; revoke '" + cn + "' and issue anew to end it now.");
        out.println("  " + store.certificateFile(cn));
        return 0;
    }

    private static int revoke(Pki pki, DirectoryPkiStore store, Args args, PrintStream out) throws IOException {
        String cn = name(args, "revoke");
        RevokeReason reason = RevokeReason.parse(args.opt("--reason", "unspecified"));
        for (IssuedCert e : pki.revoke(cn, reason)) {
            out.println("Revoked '" + cn + "' serial " + e.serialHex() + " (" + reason.label() + ")");
        }
        out.println("Wrote " + store.crlFile() + "; servers with crl-verify pick it up without a restart");
        return 0;
    }

    private static int crl(Pki pki, DirectoryPkiStore store, Args args, PrintStream out) throws IOException {
        CrlInfo info = pki.crlDays(args.days("--days", Pki.DEFAULT_CRL_DAYS)).updateCrl();
        out.println("Wrote " + store.crlFile() + " #" + info.number() + ", next update " + DATE.format(info.nextUpdate()));
        return 0;
    }

    private static int list(Pki pki, Args args, PrintStream out) throws IOException {
        Instant now = Instant.now();
        Duration window = Duration.ofDays(args.days("--warn-days", (int) CertificateExpiry.WARN_WITHIN.toDays()));
        out.printf("%-24s %-7s %-34s %-21s %s%n", "NAME", "KIND", "SERIAL", "EXPIRES", "STATUS");
        out.printf("%-24s %-7s %-34s %-21s %s%n", "(CA)", "ca", pki.caCertificate().getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
                DATE.format(pki.caCertificate().getNotAfter().toInstant()), "valid");
        for (IssuedCert e : pki.list()) {
            String status = e.revoked() ? "revoked " + DATE.format(e.revokedAt()) + " (" + e.reason().label() + ")"
                    : e.expired(now) ? "expired" : e.expiresWithin(now, window) ? "expires soon" : "valid";
            out.printf("%-24s %-7s %-34s %-21s %s%n", e.commonName(), e.kind().label(), e.serialHex(), DATE.format(e.notAfter()),
                    status);
        }
        pki.crl().ifPresent(c -> out.println("CRL #" + c.number() + ": " + c.revokedCount() + " revoked, issued "
                + DATE.format(c.thisUpdate()) + ", next update " + DATE.format(c.nextUpdate())
                + (c.expired(now) ? " (EXPIRED)" : "")));
        for (String w : pki.expiryWarnings(window)) {
            out.println("WARNING: " + w);
        }
        return 0;
    }

    private static int export(Pki pki, Args args, PrintStream out, PrintStream err) throws IOException, OvpnParseException {
        String cn = name(args, "export");
        ExportOptions o = exportOptions(pki, args);
        StaticKey key = o.wrapKey();
        if (key == null && o.wrap() != ExportOptions.WrapMode.NONE) {
            key = pki.staticKey(o.wrap() == ExportOptions.WrapMode.TLS_CRYPT ? PkiStore.StaticKeyKind.TLS_CRYPT
                    : PkiStore.StaticKeyKind.TLS_AUTH);
        }
        IssuedCert latest = pki.latest(cn).orElseThrow(() -> new IOException("no certificate was issued to '" + cn + "'"));
        if (latest.revoked()) {
            throw new IOException("the certificate of '" + cn + "' is revoked");
        }
        String profile = UnifiedProfile.render(o, pki.caPem(), pki.credentials(cn), key);
        String target = args.opt("--out", cn + ".ovpn");
        if (target.equals("-")) {
            out.print(profile);
        } else {
            PrivateFiles.writePrivate(Path.of(target), profile);
            err.println("Wrote " + target + " (0600; it holds the private key of '" + cn + "')");
        }
        return 0;
    }

    private static ExportOptions exportOptions(Pki pki, Args args) throws IOException, OvpnParseException {
        String remote = args.options().get("--remote");
        if (remote == null) {
            throw new IllegalArgumentException("export needs --remote HOST (the address clients dial)");
        }
        String serverConfig = args.options().get("--server-config");
        ExportOptions o = serverConfig != null ? ExportOptions.forServer(ServerConfig.load(Path.of(serverConfig), true), remote)
                : ExportOptions.defaults(remote).withServerName(serverName(pki));
        if (args.options().containsKey("--port")) {
            o = o.withPort(args.days("--port", 0));
        }
        if (args.options().containsKey("--proto")) {
            o = o.withProto(args.opt("--proto", "udp"));
        }
        if (args.options().containsKey("--dev")) {
            o = o.withDev(args.opt("--dev", "tun"));
        }
        if (args.options().containsKey("--wrap")) {
            o = o.withWrap(switch (args.opt("--wrap", "")) {
                case "tls-crypt" -> ExportOptions.WrapMode.TLS_CRYPT;
                case "tls-auth" -> ExportOptions.WrapMode.TLS_AUTH;
                case "none" -> ExportOptions.WrapMode.NONE;
                default -> throw new IllegalArgumentException("--wrap must be tls-crypt, tls-auth or none");
            });
        }
        return o;
    }

    /** The CN of the only valid server certificate, for verify-x509-name; null when there are none or several. */
    private static String serverName(Pki pki) throws IOException {
        Instant now = Instant.now();
        List<String> servers = pki.list().stream().filter(e -> e.kind() == CertKind.SERVER && e.valid(now))
                .map(IssuedCert::commonName).distinct().toList();
        return servers.size() == 1 ? servers.getFirst() : null;
    }

    static String usage() {
        return """
                Usage: culvert pki [--dir DIR] COMMAND ...   (DIR defaults to ./pki)
                  init [--algo ec|rsa2048|rsa3072] [--ca-name NAME] [--ca-days N] [--server-cn CN] [--days N]
                  issue CN [--server] [--days N]      new key and certificate (client unless --server)
                  renew CN [--days N]                 new key and certificate for an existing name
                  revoke CN [--reason R]              revoke and rewrite crl.pem (R: keyCompromise, superseded, ...)
                  crl [--days N]                      re-sign crl.pem with a new next-update
                  list [--warn-days N]                every certificate and the CRL with their expiry
                  export CN --remote HOST [--server-config FILE] [--port N] [--proto udp|tcp] [--dev tun|tap]
                         [--wrap tls-crypt|tls-auth|none] [--out FILE|-]   unified .ovpn profile (0600)""";
    }
}
