package io.culvert.app.server;

import io.culvert.engine.api.InstanceInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The connected-instances table's state: applies server snapshots to rows by peer-id (adding, updating in place,
 * removing; a reused peer-id with a new start time is a new row) and derives each instance's current rate from the byte counters of consecutive snapshots.
 * Confined to the FX thread (or the test thread).
 */
public final class InstanceTable {
    private final ObservableList<InstanceRow> rows = FXCollections.observableArrayList();
    private final Map<Integer, Sample> last = new HashMap<>();

    private record Sample(long bytesIn, long bytesOut, Instant at) {}

    public ObservableList<InstanceRow> rows() {
        return rows;
    }

    /** Applies a snapshot taken at {@code at}. */
    public void apply(List<InstanceInfo> snapshot, Instant at) {
        Set<Integer> present = new HashSet<>();
        Map<Integer, InstanceRow> byPeer = new HashMap<>();
        for (InstanceRow r : rows) {
            byPeer.put(r.peerId(), r);
        }
        for (InstanceInfo info : snapshot) {
            present.add(info.peerId());
            InstanceRow row = byPeer.get(info.peerId());
            if (row != null && !Objects.equals(row.connectedSinceProperty().get(), info.connectedSince())) {
                // peer-ids are reused: the same id with another start time is a new instance (a kicked client back)
                rows.remove(row);
                last.remove(info.peerId());
                row = null;
            }
            Sample before = last.get(info.peerId());
            long rateIn = 0;
            long rateOut = 0;
            if (before != null) {
                long millis = Duration.between(before.at(), at).toMillis();
                if (millis > 0) {
                    rateIn = Math.max(0, info.bytesIn() - before.bytesIn()) * 1000 / millis;
                    rateOut = Math.max(0, info.bytesOut() - before.bytesOut()) * 1000 / millis;
                }
            }
            last.put(info.peerId(), new Sample(info.bytesIn(), info.bytesOut(), at));
            if (row == null) {
                row = new InstanceRow(info);
                rows.add(row);
            }
            row.update(info, rateIn, rateOut);
        }
        rows.removeIf(r -> !present.contains(r.peerId()));
        last.keySet().retainAll(present);
    }

    /** Removes every row (the server stopped). */
    public void clear() {
        rows.clear();
        last.clear();
    }

    /** Removes one instance at once (after a kick), before the next snapshot confirms it. */
    public void remove(int peerId) {
        rows.removeIf(r -> r.peerId() == peerId);
        last.remove(peerId);
    }
}
