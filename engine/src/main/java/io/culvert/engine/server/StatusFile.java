package io.culvert.engine.server;

import io.culvert.engine.api.FlowEdge;
import io.culvert.engine.api.InstanceInfo;
import java.io.IOException;
import io.culvert.engine.common.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenVPN's {@code status FILE [seconds]} file in the status-version 1 layout, plus one
 * {@code FLOW,<source>,<destination>,<KIND>,<packets>,<bytes>} line per flow edge before {@code END} (source and
 * destination are common names, or {@code server}). Rewritten atomically every {@code seconds} and when the server
 * stops. Not thread-safe: the server thread drives it through {@link ServerRunner.Ticker}.
 *
 * <p>Differences from stock OpenVPN: byte counts are Culvert's per-instance data counters, and "Last Ref" is the time
 * of the last write at which the instance's counters had moved (OpenVPN tracks it per route).
 */
public final class StatusFile implements ServerRunner.Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path file;
    private final long periodMillis;
    private final boolean tap;
    private final Supplier<List<InstanceInfo>> instances;
    private final Supplier<List<FlowEdge>> flows;
    private final ZoneId zone;
    private final Map<Integer, long[]> activity = new HashMap<>(); // peer-id → {bytesIn + bytesOut, lastRefMillis}
    private long nextWrite = Long.MIN_VALUE;
    private boolean failed;

    /**
     * @param seconds rewrite period, as in {@code status FILE seconds} (OpenVPN's default is 60)
     * @param tap whether the server is a TAP bridge: its routing table lists learned MACs, not IP addresses
     */
    public StatusFile(Path file, int seconds, boolean tap, Supplier<List<InstanceInfo>> instances,
            Supplier<List<FlowEdge>> flows, ZoneId zone) {
        if (seconds < 1) {
            throw new IllegalArgumentException("status period must be at least 1 s, was " + seconds);
        }
        this.file = file.toAbsolutePath();
        this.periodMillis = seconds * 1000L;
        this.tap = tap;
        this.instances = instances;
        this.flows = flows;
        this.zone = zone;
    }

    /** Writes when the period has elapsed (and on the first call), or unconditionally when {@code stopping}. */
    @Override
    public void tick(long nowMillis, boolean stopping) {
        if (stopping || nowMillis >= nextWrite) {
            nextWrite = nowMillis + periodMillis;
            try {
                write(nowMillis);
                failed = false;
            } catch (IOException e) {
                if (!failed) {
                    LOG.warn("Cannot write the status file {}: {}", file, e.toString());
                }
                failed = true;
            }
        }
    }

    /** Writes the file now, mode 0600 (as OpenVPN's), atomically: a reader sees the old file or the new one. */
    public void write(long nowMillis) throws IOException {
        List<InstanceInfo> list = instances.get();
        String text = render(Instant.ofEpochMilli(nowMillis), list, lastRefs(list, nowMillis), flows.get(), tap, zone);
        PrivateFiles.write(file, text.getBytes(StandardCharsets.UTF_8), PrivateFiles.PRIVATE, false);
    }

    /**
     * The file's text. {@code lastRef} maps peer-ids to their "Last Ref" time (missing: connected-since); flow
     * edges whose instance is not in {@code instances} name it {@code peer-<id>}.
     */
    public static String render(Instant updated, List<InstanceInfo> instances, Map<Integer, Instant> lastRef,
            List<FlowEdge> flows, boolean tap, ZoneId zone) {
        StringBuilder s = new StringBuilder(256 + 128 * instances.size() + 64 * flows.size());
        s.append("OpenVPN CLIENT LIST\n");
        s.append("Updated,").append(time(updated, zone)).append('\n');
        s.append("Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since\n");
        Map<Integer, String> names = new HashMap<>();
        for (InstanceInfo i : instances) {
            names.put(i.peerId(), name(i));
            s.append(name(i)).append(',').append(i.realAddress()).append(',').append(i.bytesIn()).append(',')
                    .append(i.bytesOut()).append(',').append(time(i.connectedSince(), zone)).append('\n');
        }
        s.append("ROUTING TABLE\n");
        s.append("Virtual Address,Common Name,Real Address,Last Ref\n");
        for (InstanceInfo i : instances) {
            String ref = time(lastRef.getOrDefault(i.peerId(), i.connectedSince()), zone);
            // A TAP server routes by MAC; OpenVPN prints each learned address as MAC@VLAN-id.
            List<String> routes = tap ? i.macs().stream().map(m -> m + "@0").toList() : i.virtualAddresses();
            for (String route : routes) {
                s.append(route).append(',').append(name(i)).append(',').append(i.realAddress()).append(',')
                        .append(ref).append('\n');
            }
        }
        s.append("GLOBAL STATS\n");
        s.append("Max bcast/mcast queue length,0\n");
        for (FlowEdge f : flows) {
            s.append("FLOW,").append(endpoint(f.source(), names)).append(',').append(endpoint(f.destination(), names))
                    .append(',').append(f.kind().name()).append(',').append(f.packets()).append(',').append(f.bytes())
                    .append('\n');
        }
        s.append("END\n");
        return s.toString();
    }

    private Map<Integer, Instant> lastRefs(List<InstanceInfo> list, long nowMillis) {
        Map<Integer, long[]> seen = new HashMap<>();
        Map<Integer, Instant> refs = new HashMap<>();
        for (InstanceInfo i : list) {
            long total = i.bytesIn() + i.bytesOut();
            long[] prev = activity.get(i.peerId());
            long ref;
            if (prev == null) {
                ref = total > 0 ? nowMillis : i.connectedSince().toEpochMilli();
            } else {
                ref = prev[0] == total ? prev[1] : nowMillis;
            }
            seen.put(i.peerId(), new long[] {total, ref});
            refs.put(i.peerId(), Instant.ofEpochMilli(ref));
        }
        activity.clear();
        activity.putAll(seen);
        return refs;
    }

    private static String name(InstanceInfo i) {
        return i.commonName() == null ? "UNDEF" : i.commonName();
    }

    private static String endpoint(int id, Map<Integer, String> names) {
        return id == FlowEdge.SERVER ? "server" : names.getOrDefault(id, "peer-" + id);
    }

    private static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone));
    }
}
