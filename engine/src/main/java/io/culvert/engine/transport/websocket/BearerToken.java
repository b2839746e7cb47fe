package io.culvert.engine.transport.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * The shared bearer token of a WebSocket endpoint (ADR 0046): the first line of {@code culvert-websocket-token-file},
 * sent by the client as {@code Authorization: Bearer TOKEN} on its upgrade and checked by the server in constant time.
 * Its text never appears in {@link #toString} or a log. Instances are immutable.
 */
public final class BearerToken {
    private final byte[] token;
    private final byte[] digest;
    private final boolean exposed;

    private BearerToken(byte[] token, boolean exposed) {
        this.token = token;
        this.digest = sha256(token);
        this.exposed = exposed;
    }

    /**
     * Reads the token from {@code file}: its first line, without surrounding white space; 16 to 512 visible ASCII
     * characters. Throws naming the file (never the token) otherwise.
     */
    public static BearerToken read(Path file) throws IOException {
        if (Files.size(file) > 4096) {
            throw new IOException("the token file " + file + " is larger than 4 KiB");
        }
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        int nl = text.indexOf('\n');
        String line = (nl >= 0 ? text.substring(0, nl) : text).strip();
        if (line.length() < 16 || line.length() > 512 || !line.matches("[!-~]+")) {
            throw new IOException("the token file " + file + " does not start with a token of 16 to 512 visible"
                    + " ASCII characters (no spaces) on its first line");
        }
        boolean exposed = false;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            exposed = p.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return new BearerToken(line.getBytes(StandardCharsets.ISO_8859_1), exposed);
    }

    /** Whether the file was readable or writable by its group or others (OpenVPN warns as for a key file). */
    public boolean exposed() {
        return exposed;
    }

    /** The request header line that carries the token, CRLF included. */
    String headerLine() {
        return "Authorization: Bearer " + new String(token, StandardCharsets.ISO_8859_1) + "\r\n";
    }

    /**
     * Whether an {@code Authorization} header value carries this token. Constant time: both sides are hashed first,
     * so neither the token's length nor a common prefix shows in the time taken.
     */
    public boolean matches(String authorization) {
        if (authorization == null) {
            return false;
        }
        String v = authorization.strip();
        boolean bearer = v.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] offered = sha256((bearer ? v.substring(7).strip() : "").getBytes(StandardCharsets.ISO_8859_1));
        return MessageDigest.isEqual(offered, digest) & bearer;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
