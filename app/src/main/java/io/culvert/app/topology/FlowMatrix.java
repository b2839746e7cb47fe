package io.culvert.app.topology;

import io.culvert.engine.api.FlowEdge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pairwise flow matrix: rows are senders, columns receivers, one rate layer per {@link FlowEdge.Kind} that
 * carries traffic; the server is the first row and column, instances follow in slot order. Sparse: only edges with
 * traffic have cells. Pairs the server's client-to-client policy denied are kept apart, as counts since the sender
 * connected ({@link #denied()}), not rates: one denied ping is worth showing. Immutable.
 */
public final class FlowMatrix {
    /** One non-empty cell. */
    public record Cell(int row, int column, FlowEdge.Kind kind, double bytesPerSecond, double packetsPerSecond) {}

    /** A pair the policy denied: packets dropped (and broadcast copies withheld) since the sender connected. */
    public record Denied(int row, int column, long packets) {}

    private final List<Integer> endpoints;
    private final Map<Integer, Integer> index = new HashMap<>();
    private final List<Cell> cells = new ArrayList<>();
    private final Map<Long, Cell> byKey = new HashMap<>();
    private final double[] maxBytesPerSecond = new double[FlowEdge.Kind.values().length];
    private final List<Denied> denied = new ArrayList<>();
    private final Map<Long, Denied> deniedByKey = new HashMap<>();

    FlowMatrix(List<Integer> endpoints, List<EdgeRate> rates) {
        this(endpoints, rates, List.of());
    }

    /** {@code deniedEdges}: the {@link FlowEdge.Kind#DENIED} counters of the snapshot. */
    FlowMatrix(List<Integer> endpoints, List<EdgeRate> rates, List<FlowEdge> deniedEdges) {
        this.endpoints = List.copyOf(endpoints);
        for (int i = 0; i < endpoints.size(); i++) {
            index.put(endpoints.get(i), i);
        }
        for (EdgeRate r : rates) {
            Integer row = index.get(r.source());
            Integer col = index.get(r.destination());
            if (row == null || col == null || r.bytesPerSecond() <= 0 || r.kind() == FlowEdge.Kind.DENIED) {
                continue;
            }
            Cell c = new Cell(row, col, r.kind(), r.bytesPerSecond(), r.packetsPerSecond());
            cells.add(c);
            byKey.put(key(row, col, r.kind()), c);
            maxBytesPerSecond[r.kind().ordinal()] = Math.max(maxBytesPerSecond[r.kind().ordinal()], r.bytesPerSecond());
        }
        for (FlowEdge e : deniedEdges) {
            Integer row = index.get(e.source());
            Integer col = index.get(e.destination());
            if (row == null || col == null || e.kind() != FlowEdge.Kind.DENIED || e.packets() <= 0) {
                continue;
            }
            Denied d = new Denied(row, col, e.packets());
            denied.add(d);
            deniedByKey.put(key(row, col, FlowEdge.Kind.DENIED), d);
        }
    }

    /** Every pair the policy denied, with its count. */
    public List<Denied> denied() {
        return denied;
    }

    /** Packets the policy denied from {@code source} to {@code destination} since the sender connected; 0 if none. */
    public long deniedPackets(int source, int destination) {
        Integer row = index.get(source);
        Integer col = index.get(destination);
        Denied d = row == null || col == null ? null : deniedByKey.get(key(row, col, FlowEdge.Kind.DENIED));
        return d == null ? 0 : d.packets();
    }

    /** The denied pair at a row and column, or null. */
    public Denied denied(int row, int column) {
        return deniedByKey.get(key(row, column, FlowEdge.Kind.DENIED));
    }

    static FlowMatrix empty() {
        return new FlowMatrix(List.of(FlowEdge.SERVER), List.of());
    }

    /** Row and column order: {@link FlowEdge#SERVER}, then peer-ids. */
    public List<Integer> endpoints() {
        return endpoints;
    }

    public List<Cell> cells() {
        return cells;
    }

    /** Bytes per second from {@code source} to {@code destination} of {@code kind}; 0 if none. */
    public double bytesPerSecond(int source, int destination, FlowEdge.Kind kind) {
        Integer row = index.get(source);
        Integer col = index.get(destination);
        if (row == null || col == null) {
            return 0;
        }
        Cell c = byKey.get(key(row, col, kind));
        return c == null ? 0 : c.bytesPerSecond();
    }

    /** The cell at a row and column of one layer, or null. */
    public Cell cell(int row, int column, FlowEdge.Kind kind) {
        return byKey.get(key(row, column, kind));
    }

    /** The largest rate in a layer (for the colour scale). */
    public double maxBytesPerSecond(FlowEdge.Kind kind) {
        return maxBytesPerSecond[kind.ordinal()];
    }

    private static long key(int row, int col, FlowEdge.Kind kind) {
        return ((long) row << 32 | (long) col << 2 | kind.ordinal());
    }
}
