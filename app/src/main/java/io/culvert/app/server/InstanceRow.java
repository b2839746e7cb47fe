package io.culvert.app.server;

import io.culvert.engine.api.InstanceInfo;
import java.time.Instant;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One row of the connected-instances table. Rows live as long as their instance and are updated in place, so
 * the table keeps its selection and scroll position. Confined to the FX thread (or the test thread).
 */
public final class InstanceRow {
    private final int peerId;
    private final StringProperty commonName = new SimpleStringProperty();
    private final StringProperty realAddress = new SimpleStringProperty();
    private final StringProperty virtualAddresses = new SimpleStringProperty();
    private final StringProperty macs = new SimpleStringProperty();
    private final ObjectProperty<Instant> connectedSince = new SimpleObjectProperty<>();
    private final LongProperty bytesIn = new SimpleLongProperty();
    private final LongProperty bytesOut = new SimpleLongProperty();
    private final LongProperty rateIn = new SimpleLongProperty();
    private final LongProperty rateOut = new SimpleLongProperty();

    InstanceRow(InstanceInfo info) {
        this.peerId = info.peerId();
        update(info, 0, 0);
    }

    void update(InstanceInfo info, long newRateIn, long newRateOut) {
        commonName.set(info.commonName());
        realAddress.set(info.realAddress());
        virtualAddresses.set(String.join(", ", info.virtualAddresses()));
        macs.set(String.join(", ", info.macs()));
        connectedSince.set(info.connectedSince());
        bytesIn.set(info.bytesIn());
        bytesOut.set(info.bytesOut());
        rateIn.set(newRateIn);
        rateOut.set(newRateOut);
    }

    public int peerId() {
        return peerId;
    }

    public ReadOnlyStringProperty commonNameProperty() {
        return commonName;
    }

    public ReadOnlyStringProperty realAddressProperty() {
        return realAddress;
    }

    public ReadOnlyStringProperty virtualAddressesProperty() {
        return virtualAddresses;
    }

    public ReadOnlyStringProperty macsProperty() {
        return macs;
    }

    public ReadOnlyObjectProperty<Instant> connectedSinceProperty() {
        return connectedSince;
    }

    public ReadOnlyLongProperty bytesInProperty() {
        return bytesIn;
    }

    public ReadOnlyLongProperty bytesOutProperty() {
        return bytesOut;
    }

    /** Bytes per second received from the client over the last sample. */
    public ReadOnlyLongProperty rateInProperty() {
        return rateIn;
    }

    /** Bytes per second sent to the client over the last sample. */
    public ReadOnlyLongProperty rateOutProperty() {
        return rateOut;
    }

    public String commonName() {
        return commonName.get();
    }
}
