package io.culvert.engine.server;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer-info a client sends in its key-method-2 message ({@code KEY=VALUE} lines), with the few values
 * the server acts on. Instances are immutable.
 */
public record PeerInfo(Map<String, String> values) {
    /** IV_PROTO bits (fact sheet §5.2). */
    public static final int DATA_V2 = 2;
    public static final int REQUEST_PUSH = 4;
    public static final int TLS_KEY_EXPORT = 8;
    public static final int CC_EXIT_NOTIFY = 128;
    /** 2.7's epoch data format (IV_PROTO_DATA_EPOCH). */
    public static final int DATA_EPOCH = 1024;
    /** The client takes PUSH_UPDATE messages (OpenVPN 2.7, {@code IV_PROTO_PUSH_UPDATE}). */
    public static final int PUSH_UPDATE = 4096;

    public PeerInfo {
        values = Map.copyOf(values);
    }

    public static PeerInfo parse(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && map.size() < 256) {
                    map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        }
        return new PeerInfo(map);
    }

    public int ivProto() {
        try {
            return Integer.parseInt(values.getOrDefault("IV_PROTO", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public boolean has(int protoBit) {
        return (ivProto() & protoBit) != 0;
    }

    /** Ciphers the client can use: IV_CIPHERS, or the two GCMs implied by IV_NCP=2; empty if neither. */
    public List<String> ciphers() {
        String list = values.get("IV_CIPHERS");
        if (list != null && !list.isBlank()) {
            return Arrays.stream(list.split(":")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        String ncp = values.get("IV_NCP");
        // Any decimal number from 2 up, however long: a peer's text is never trusted to fit an int.
        if (ncp != null && ncp.matches("0*([2-9]|[1-9]\\d+)")) {
            return List.of("AES-256-GCM", "AES-128-GCM");
        }
        return List.of();
    }

    /** True when the client sent IV_MTU (it then accepts a pushed tun-mtu). */
    public boolean sentMtu() {
        return values.containsKey("IV_MTU");
    }

    public String version() {
        return values.getOrDefault("IV_VER", "unknown");
    }

    public String platform() {
        return values.getOrDefault("IV_PLAT", "unknown");
    }
}
