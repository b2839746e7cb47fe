package io.culvert.engine.server;

/**
 * The client certificate's common name a trusted proxy passes in {@code culvert-websocket-client-cn-header} (ADR 0050):
 * nginx's {@code $ssl_client_s_dn}, an RFC 4514 DN such as {@code CN=alice,O=Example} (escapes {@code \,} and
 * {@code \2C} honoured), or a bare common name. Stateless.
 */
final class ProxyClientName {
    /** Longest value read. */
    static final int MAX = 1024;

    private ProxyClientName() {}

    /**
     * The common name in {@code value}: the value of its one {@code CN} attribute when it is a DN, else the value itself;
     * null when there is none, or more than one, or the value is blank, too long or not printable.
     */
    static String commonName(String value) {
        if (value == null || value.isBlank() || value.length() > MAX || !value.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f)) {
            return null;
        }
        String v = value.strip();
        if (!v.contains("=")) {
            return v;
        }
        String found = null;
        StringBuilder type = new StringBuilder();
        java.io.ByteArrayOutputStream val = new java.io.ByteArrayOutputStream();
        boolean inValue = false;
        for (int i = 0; i <= v.length(); i++) {
            char ch = i < v.length() ? v.charAt(i) : ',';
            if (ch == '\\' && inValue && i + 1 < v.length()) {
                char next = v.charAt(i + 1);
                if (i + 2 < v.length() && isHex(next) && isHex(v.charAt(i + 2))) {
                    val.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
                    i += 2;
                } else {
                    append(val, next);
                    i++;
                }
            } else if (ch == '=' && !inValue) {
                inValue = true;
            } else if (ch == ',' || ch == '+') {
                if (!inValue) {
                    return null;
                }
                String t = type.toString().strip();
                if (t.equalsIgnoreCase("CN") || t.equals("2.5.4.3")) {
                    if (found != null) {
                        return null;
                    }
                    found = val.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
                type.setLength(0);
                val.reset();
                inValue = false;
            } else if (inValue) {
                append(val, ch);
            } else {
                type.append(ch);
            }
        }
        return found == null || found.isEmpty() ? null : found;
    }

    private static void append(java.io.ByteArrayOutputStream out, char c) {
        out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
