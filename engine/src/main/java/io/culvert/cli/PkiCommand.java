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
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code culvert pki init|issue|revoke|renew|list|crl|export}: administers a CA folder (default {@code ./pki}).
 * Exit codes as {@link ExitCodes}. Private keys are never printed except inside an exported profile.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Administers a certificate authority in a folder: the CA, server and client certificates, the CRL"
                + " and the tls-crypt/tls-auth keys, and unified .ovpn profiles for clients.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Issue.class, PkiCommand.Renew.class, PkiCommand.Revoke.class,
            PkiCommand.Crl.class, PkiCommand.ListCerts.class, PkiCommand.Export.class})
final class PkiCommand extends CommandGroup {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @Option(names = "--dir", paramLabel = "DIR", scope = ScopeType.INHERIT, description = "the CA folder (default: ./pki)")
    Path dir = Path.of("pki");

    /** One {@code culvert pki} command: the CA folder opened, its errors mapped to exit codes. */
    abstract static class Action extends Subcommand<PkiCommand> {
        abstract int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err)
                throws IOException, OvpnParseException;

        @Override
        public Integer call() {
            LogLevel.apply(2); // the CLI prints its own summary; keep INFO logs off stdout (export may write to it)
            DirectoryPkiStore store = new DirectoryPkiStore(parent.dir);
            Pki pki = new Pki(store, InstantSource.system(), new SecureRandom());
            try {
                return run(pki, store, Cli.root(spec).out, Cli.root(spec).err);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, e.getMessage());
            } catch (IOException | OvpnParseException e) {
                return failed(e);
            }
        }
    }

    /** A positive number of days (or a port) from an option, or the fallback when it was not given. */
    static int positive(String name, String v, int fallback) {
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

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates the CA, a server certificate, the CRL and the tls-crypt and tls-auth keys.")
    static final class Init extends Action {
        @Option(names = "--algo", paramLabel = "ec|rsa2048|rsa3072", description = "key algorithm (default: ec)")
        String algo = "ec";
        @Option(names = "--ca-name", paramLabel = "NAME", description = "the CA's name (default: Culvert CA)")
        String caName = "Culvert CA";
        @Option(names = "--ca-days", paramLabel = "N", description = "CA validity in days")
        String caDays;
        @Option(names = "--server-cn", paramLabel = "CN", description = "the server certificate's name (default: server)")
        String serverCn = "server";
        @Option(names = "--days", paramLabel = "N", description = "server certificate validity in days")
        String days;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return init(pki, store, this, out);
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "New key and certificate (client unless --server).")
    static final class Issue extends Action {
        @Parameters(paramLabel = "CN", description = "the common name")
        String cn;
        @Option(names = "--server", description = "a server certificate")
        boolean server;
        @Option(names = "--days", paramLabel = "N", description = "validity in days")
        String days;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return issue(pki, store, this, out);
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "New key and certificate for an existing name.")
    static final class Renew extends Action {
        @Parameters(paramLabel = "CN", description = "the common name")
        String cn;
        @Option(names = "--days", paramLabel = "N", description = "validity in days")
        String days;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return renew(pki, store, this, out);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes every certificate of a name and rewrites crl.pem.")
    static final class Revoke extends Action {
        @Parameters(paramLabel = "CN", description = "the common name")
        String cn;
        @Option(names = "--reason", paramLabel = "R",
                description = "unspecified (default), keyCompromise, superseded, cessationOfOperation, ...")
        String reason = "unspecified";

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return revoke(pki, store, this, out);
        }
    }

    @Command(name = "crl", mixinStandardHelpOptions = true, description = "Re-signs crl.pem with a new next-update.")
    static final class Crl extends Action {
        @Option(names = "--days", paramLabel = "N", description = "days until the next update")
        String days;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return crl(pki, store, this, out);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every certificate and the CRL with their expiry.")
    static final class ListCerts extends Action {
        @Option(names = "--warn-days", paramLabel = "N", description = "warn of certificates expiring within N days")
        String warnDays;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException {
            return list(pki, this, out);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes a unified .ovpn profile for a client (0600: it holds the private key).")
    static final class Export extends Action {
        @Parameters(paramLabel = "CN", description = "the client's common name")
        String cn;
        @Option(names = "--remote", paramLabel = "HOST", description = "the address clients dial (required)")
        String remote;
        @Option(names = "--server-config", paramLabel = "FILE", description = "take port, proto, dev and more from it")
        String serverConfig;
        @Option(names = "--port", paramLabel = "N", description = "the server's port")
        String port;
        @Option(names = "--proto", paramLabel = "udp|tcp", description = "the transport")
        String proto;
        @Option(names = "--dev", paramLabel = "tun|tap", description = "the device type")
        String dev;
        @Option(names = "--wrap", paramLabel = "tls-crypt|tls-auth|none", description = "control channel wrapping")
        String wrap;
        @Option(names = "--out", paramLabel = "FILE|-", description = "where to write it (default: CN.ovpn; - is stdout)")
        String outFile;

        @Override
        int run(Pki pki, DirectoryPkiStore store, PrintStream out, PrintStream err) throws IOException, OvpnParseException {
            return export(pki, this, out, err);
        }
    }

    private static int init(Pki pki, DirectoryPkiStore store, Init args, PrintStream out) throws IOException {
        String algoName = args.algo;
        KeyAlgorithm algo = KeyAlgorithm.parse(algoName)
                .orElseThrow(() -> new IllegalArgumentException("--algo must be ec, rsa2048 or rsa3072, got '" + algoName + "'"));
        String serverCn = args.serverCn;
        pki.init(args.caName, algo, positive("--ca-days", args.caDays, Pki.DEFAULT_CA_DAYS), serverCn,
                positive("--days", args.days, Pki.DEFAULT_CERT_DAYS));
        out.println("Created a " + algo.cliName() + " CA in " + store.root());
        out.println("  ca " + store.caCertificateFile());
        out.println("  cert " + store.certificateFile(serverCn));
        out.println("  key " + store.privateKeyFile(serverCn));
        out.println("  crl-verify " + store.crlFile());
        out.println("  tls-crypt " + store.staticKeyFile(PkiStore.StaticKeyKind.TLS_CRYPT));
        out.println("  tls-auth " + store.staticKeyFile(PkiStore.StaticKeyKind.TLS_AUTH) + " 0");
        return 0;
    }

    private static int issue(Pki pki, DirectoryPkiStore store, Issue args, PrintStream out) throws IOException {
        String cn = args.cn;
        CertKind kind = args.server ? CertKind.SERVER : CertKind.CLIENT;
        IssuedCert e = pki.issue(cn, kind, positive("--days", args.days, Pki.DEFAULT_CERT_DAYS));
        out.println("Issued " + kind.label() + " certificate '" + cn + "' serial " + e.serialHex() + ", expires "
                + DATE.format(e.notAfter()));
        out.println("  " + store.certificateFile(cn) + "\n  " + store.privateKeyFile(cn));
        return 0;
    }

    private static int renew(Pki pki, DirectoryPkiStore store, Renew args, PrintStream out) throws IOException {
        String cn = args.cn;
        IssuedCert e = pki.renew(cn, positive("--days", args.days, Pki.DEFAULT_CERT_DAYS));
        out.println("Renewed '" + cn + "': new key, serial " + e.serialHex() + ", expires " + DATE.format(e.notAfter()));
        out.println("The previous certificate stays valid until it expires; revoke '" + cn + "' and issue anew to end it now.");
        out.println("  " + store.certificateFile(cn));
        return 0;
    }

    private static int revoke(Pki pki, DirectoryPkiStore store, Revoke args, PrintStream out) throws IOException {
        String cn = args.cn;
        RevokeReason reason = RevokeReason.parse(args.reason);
        for (IssuedCert e : pki.revoke(cn, reason)) {
            out.println("Revoked '" + cn + "' serial " + e.serialHex() + " (" + reason.label() + ")");
        }
        out.println("Wrote " + store.crlFile() + "; servers with crl-verify pick it up without a restart");
        return 0;
    }

    private static int crl(Pki pki, DirectoryPkiStore store, Crl args, PrintStream out) throws IOException {
        CrlInfo info = pki.crlDays(positive("--days", args.days, Pki.DEFAULT_CRL_DAYS)).updateCrl();
        out.println("Wrote " + store.crlFile() + " #" + info.number() + ", next update " + DATE.format(info.nextUpdate()));
        return 0;
    }

    private static int list(Pki pki, ListCerts args, PrintStream out) throws IOException {
        Instant now = Instant.now();
        Duration window = Duration.ofDays(positive("--warn-days", args.warnDays, (int) CertificateExpiry.WARN_WITHIN.toDays()));
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

    private static int export(Pki pki, Export args, PrintStream out, PrintStream err) throws IOException, OvpnParseException {
        String cn = args.cn;
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
        String target = args.outFile != null ? args.outFile : cn + ".ovpn";
        if (target.equals("-")) {
            out.print(profile);
        } else {
            PrivateFiles.writePrivate(Path.of(target), profile);
            err.println("Wrote " + target + " (0600; it holds the private key of '" + cn + "')");
        }
        return 0;
    }

    private static ExportOptions exportOptions(Pki pki, Export args) throws IOException, OvpnParseException {
        String remote = args.remote;
        if (remote == null) {
            throw new IllegalArgumentException("export needs --remote HOST (the address clients dial)");
        }
        String serverConfig = args.serverConfig;
        ExportOptions o = serverConfig != null ? ExportOptions.forServer(ServerConfig.load(Path.of(serverConfig), true), remote)
                : ExportOptions.defaults(remote).withServerName(serverName(pki));
        if (args.port != null) {
            o = o.withPort(positive("--port", args.port, 0));
        }
        if (args.proto != null) {
            o = o.withProto(args.proto);
        }
        if (args.dev != null) {
            o = o.withDev(args.dev);
        }
        if (args.wrap != null) {
            o = o.withWrap(switch (args.wrap) {
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
}
