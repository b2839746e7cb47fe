package io.culvert.engine.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The text form of the CA index ({@code index.txt}): one tab-separated line per issued certificate,
 * {@code serial-hex  cn  kind  not-before  not-after  revoked-at|-  reason|-}, instants in ISO-8601 UTC,
 * {@code #} lines are comments. Stateless and thread-safe.
 */
public final class IndexFile {
    /** The first line of every index this class writes. */
    public static final String HEADER = "# culvert pki index v1: serial\tcn\tkind\tnot-before\tnot-after\trevoked-at\treason";
    private static final int FIELDS = 7;

    private IndexFile() {}

    public static String format(List<IssuedCert> entries) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (IssuedCert e : entries) {
            sb.append(e.serialHex()).append('\t').append(e.commonName()).append('\t').append(e.kind().label())
                    .append('\t').append(e.notBefore()).append('\t').append(e.notAfter())
                    .append('\t').append(e.revoked() ? e.revokedAt().toString() : "-")
                    .append('\t').append(e.revoked() ? e.reason().label() : "-").append('\n');
        }
        return sb.toString();
    }

    public static List<IssuedCert> parse(String text) throws IOException {
        List<IssuedCert> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != FIELDS) {
                throw new IOException("index line " + (i + 1) + ": expected " + FIELDS + " tab-separated fields, got " + f.length);
            }
            try {
                boolean revoked = !f[5].equals("-");
                out.add(new IssuedCert(new BigInteger(f[0], 16), f[1], CertKind.parse(f[2]), Instant.parse(f[3]),
                        Instant.parse(f[4]), revoked ? Instant.parse(f[5]) : null, revoked ? RevokeReason.parse(f[6]) : null));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new IOException("index line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
