package io.culvert.engine.config;

import io.culvert.engine.net.Addresses;
import io.culvert.engine.config.CcdEntry.Iroute;
import io.culvert.engine.config.IpText.Prefix6;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads per-client files from a {@code client-config-dir}: the file named exactly as the common name, else
 * the file {@code DEFAULT}. Directives a ccd file may not hold, or cannot be applied, are collected rather
 * than thrown, as OpenVPN logs and skips them. Stateless and thread-safe.
 */
public final class ClientConfigDir {
    /** The file OpenVPN reads when no file matches the common name. */
    public static final String DEFAULT_FILE = "DEFAULT";
    /** Per-client files are small; larger ones are refused. */
    static final int MAX_CCD_CHARS = 64 * 1024;

    private ClientConfigDir() {}

    /**
     * The entry for {@code commonName}: its own file, else {@code DEFAULT}, else empty. A common name that
     * could leave the directory ('/', '\', "..", NUL, control characters, empty) is rejected with INVALID_VALUE.
     */
    public static Optional<CcdEntry> read(Path ccdDir, String commonName) throws OvpnParseException {
        Path own = fileFor(ccdDir, commonName);
        if (Files.isRegularFile(own)) {
            return Optional.of(parse(ConfigFiles.readText(own, 0, null, MAX_CCD_CHARS)));
        }
        Path fallback = ccdDir.resolve(DEFAULT_FILE);
        if (Files.isRegularFile(fallback)) {
            return Optional.of(parse(ConfigFiles.readText(fallback, 0, null, MAX_CCD_CHARS)));
        }
        return Optional.empty();
    }

    /** True when {@code commonName} has its own file (what {@code ccd-exclusive} requires; DEFAULT does not count). */
    public static boolean hasOwnFile(Path ccdDir, String commonName) throws OvpnParseException {
        return Files.isRegularFile(fileFor(ccdDir, commonName));
    }

    private static Path fileFor(Path ccdDir, String cn) throws OvpnParseException {
        if (cn == null || cn.isEmpty() || cn.equals(".") || cn.contains("..") || cn.indexOf('/') >= 0
                || cn.indexOf('\\') >= 0 || cn.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new OvpnParseException(0, "client-config-dir", Reason.INVALID_VALUE,
                    "common name '" + (cn == null ? "null" : cn.replaceAll("\\p{Cntrl}", "?"))
                            + "' cannot name a file in the client-config-dir");
        }
        return ccdDir.resolve(cn);
    }

    /** Parses ccd text; syntax errors throw, directive problems are collected in {@link CcdEntry#unsupported()}. */
    public static CcdEntry parse(String text) throws OvpnParseException {
        String local = null;
        String remote = null;
        String ipv6 = null;
        List<Iroute> iroutes = new ArrayList<>();
        List<String> pushes = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<String> pushRemoves = new ArrayList<>();
        boolean pushReset = false;
        boolean disable = false;
        for (Directive d : OvpnFile.parse(text).directives()) {
            try {
                switch (d.name()) {
                    case "ifconfig-push" -> {
                        count(d, 2, 3);
                        local = Addresses.ipv4Text(IpText.ipv4(d, 0));
                        remote = Addresses.ipv4Text(IpText.ipv4(d, 1));
                    }
                    case "ifconfig-ipv6-push" -> {
                        count(d, 1, 2);
                        Prefix6 p = IpText.prefix6(d, 0, 0, 128, 64);
                        ipv6 = Addresses.ipv6Text(p.address()) + "/" + p.bits();
                    }
                    case "iroute" -> iroutes.add(iroute(d));
                    case "iroute-ipv6" -> {
                        count(d, 1, 1);
                        Prefix6 p = IpText.prefix6(d, 0, 0, 128, 128);
                        iroutes.add(new Iroute(Addresses.ipv6Text(p.address()), p.bits()));
                    }
                    case "push" -> {
                        count(d, 1, 1);
                        if (d.arg(0).indexOf(',') >= 0 || d.arg(0).isBlank()) {
                            throw ArgValues.invalid(d, "a pushed option cannot be empty or contain a comma");
                        }
                        pushes.add(d.arg(0).strip());
                    }
                    case "push-remove" -> {
                        count(d, 1, 1);
                        if (d.arg(0).equals("ifconfig") || d.arg(0).equals("ifconfig-ipv6")) {
                            throw ArgValues.invalid(d, "removing the pushed " + d.arg(0) + " is not applied");
                        }
                        pushes.removeIf(p -> p.startsWith(d.arg(0)));
                        pushRemoves.add(d.arg(0));
                    }
                    case "push-reset" -> {
                        count(d, 0, 0);
                        pushReset = true;
                    }
                    case "disable" -> {
                        count(d, 0, 0);
                        disable = true;
                    }
                    default -> unsupported.add("line " + d.line() + ": '" + d.name() + "' is not applied from a ccd file");
                }
            } catch (OvpnParseException e) {
                unsupported.add(e.getMessage());
            }
        }
        return new CcdEntry(local, remote, ipv6, iroutes, pushes, pushReset, disable, unsupported, pushRemoves);
    }

    private static Iroute iroute(Directive d) throws OvpnParseException {
        count(d, 1, 2);
        int net = IpText.ipv4(d, 0);
        int mask = d.args().size() > 1 ? IpText.ipv4(d, 1) : -1;
        int bits = Addresses.maskBits(mask);
        if (bits < 0 || (net & ~mask) != 0) {
            throw ArgValues.invalid(d, "network/netmask combination is invalid");
        }
        return new Iroute(Addresses.ipv4Text(net), bits);
    }

    private static void count(Directive d, int min, int max) throws OvpnParseException {
        int n = d.argCount();
        if (n < min || n > max) {
            throw new OvpnParseException(d.line(), d.name(), Reason.WRONG_ARGUMENT_COUNT,
                    DirectiveValidator.expected(min, max) + ", got " + n);
        }
    }
}
