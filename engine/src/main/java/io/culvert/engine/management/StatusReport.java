package io.culvert.engine.management;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code status [n]} replies in stock OpenVPN 2.6's layouts: the client's "OpenVPN STATISTICS" block and
 * the server's client list, routing table and global stats in versions 1 (CSV with section titles), 2 (tagged CSV
 * with HEADER lines) and 3 (as 2, tab-separated). Stateless and thread-safe.
 */
public final class StatusReport {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private StatusReport() {}

    /** A client's statistics (every version prints the same block), ending with {@code END}. */
    public static List<String> client(TrafficStats s, Instant now, ZoneId zone) {
        return List.of("OpenVPN STATISTICS",
                "Updated," + time(now, zone),
                "TUN/TAP read bytes," + s.tunBytesOut(),
                "TUN/TAP write bytes," + s.tunBytesIn(),
                "TCP/UDP read bytes," + s.linkBytesIn(),
                "TCP/UDP write bytes," + s.linkBytesOut(),
                "Auth read bytes," + s.tunBytesIn(),
                "END");
    }

    /**
     * A server's status, ending with {@code END}. Versions other than 2 and 3 print version 1.
     *
     * @param title the {@code TITLE} line's text (versions 2 and 3)
     * @param tap whether the routing table lists learned MAC addresses rather than IP routes
     */
    public static List<String> server(int version, List<InstanceInfo> instances, boolean tap, String title, Instant now,
            ZoneId zone) {
        return server(version, instances, tap, title, now, zone, Map.of());
    }

    /**
     * A server's status with Culvert's own {@code counters} (name → count) as extra global stats rows after
     * OpenVPN's, in name order: {@code GLOBAL_STATS,name,count} (versions 2 and 3) or {@code name,count}.
     */
    public static List<String> server(int version, List<InstanceInfo> instances, boolean tap, String title, Instant now,
            ZoneId zone, Map<String, Long> counters) {
        List<String> out = version == 2 || version == 3 ? tagged(version == 3 ? "\t" : ",", instances, tap, title, now, zone)
                : plain(instances, tap, now, zone);
        String sep = version == 3 ? "\t" : ",";
        List<String> rows = new java.util.TreeMap<>(counters).entrySet().stream()
                .map(e -> (version == 2 || version == 3 ? "GLOBAL_STATS" + sep : "") + e.getKey() + sep + e.getValue())
                .toList();
        out.addAll(out.size() - 1, rows);
        return out;
    }

    private static List<String> plain(List<InstanceInfo> instances, boolean tap, Instant now, ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add("OpenVPN CLIENT LIST");
        out.add("Updated," + time(now, zone));
        out.add("Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since");
        for (InstanceInfo i : instances) {
            out.add(join(",", name(i), i.realAddress(), i.bytesIn(), i.bytesOut(), time(i.connectedSince(), zone)));
        }
        out.add("ROUTING TABLE");
        out.add("Virtual Address,Common Name,Real Address,Last Ref");
        for (InstanceInfo i : instances) {
            for (String route : routes(i, tap)) {
                out.add(join(",", route, name(i), i.realAddress(), time(i.connectedSince(), zone)));
            }
        }
        out.add("GLOBAL STATS");
        out.add("Max bcast/mcast queue length,0");
        out.add("END");
        return out;
    }

    private static List<String> tagged(String sep, List<InstanceInfo> instances, boolean tap, String title, Instant now,
            ZoneId zone) {
        List<String> out = new ArrayList<>();
        out.add(join(sep, "TITLE", title));
        out.add(join(sep, "TIME", time(now, zone), now.getEpochSecond()));
        out.add(join(sep, "HEADER", "CLIENT_LIST", "Common Name", "Real Address", "Virtual Address",
                "Virtual IPv6 Address", "Bytes Received", "Bytes Sent", "Connected Since", "Connected Since (time_t)",
                "Username", "Client ID", "Peer ID", "Data Channel Cipher"));
        for (InstanceInfo i : instances) {
            out.add(join(sep, "CLIENT_LIST", name(i), i.realAddress(), firstAddress(i, false), firstAddress(i, true),
                    i.bytesIn(), i.bytesOut(), time(i.connectedSince(), zone), i.connectedSince().getEpochSecond(),
                    "UNDEF", i.peerId(), i.peerId(), i.cipher() == null ? "none" : i.cipher()));
        }
        out.add(join(sep, "HEADER", "ROUTING_TABLE", "Virtual Address", "Common Name", "Real Address", "Last Ref",
                "Last Ref (time_t)"));
        for (InstanceInfo i : instances) {
            for (String route : routes(i, tap)) {
                out.add(join(sep, "ROUTING_TABLE", route, name(i), i.realAddress(), time(i.connectedSince(), zone),
                        i.connectedSince().getEpochSecond()));
            }
        }
        out.add(join(sep, "GLOBAL_STATS", "Max bcast/mcast queue length", 0));
        out.add(join(sep, "GLOBAL_STATS", "dco_enabled", 0));
        out.add("END");
        return out;
    }

    /** The instance's first tunnel address of one family (no prefix length), or empty. */
    private static String firstAddress(InstanceInfo i, boolean ipv6) {
        return i.virtualAddresses().stream().filter(a -> !a.contains("/") && a.contains(":") == ipv6).findFirst()
                .orElse("");
    }

    /** A TAP server routes by MAC; OpenVPN prints each learned address as MAC@VLAN-id. */
    private static List<String> routes(InstanceInfo i, boolean tap) {
        return tap ? i.macs().stream().map(m -> m + "@0").toList() : i.virtualAddresses();
    }

    private static String name(InstanceInfo i) {
        return i.commonName() == null ? "UNDEF" : StateRecord.clean(i.commonName());
    }

    private static String join(String sep, Object... fields) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < fields.length; k++) {
            s.append(k == 0 ? "" : sep).append(fields[k]);
        }
        return s.toString();
    }

    static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }
}
