package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.protocol.PushUpdate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PUSH_UPDATEs (OpenVPN 2.7): an update to one admitted client or to all, a changed client-config-dir
 * entry's routes and static address, and what an address move does to the routing table ({@link AddressMove}).
 * Not thread-safe: owned by the server thread.
 */
final class PushUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(PushUpdates.class);

    private final Admission admission;
    private final InstanceTable table;
    private final PacketSwitch packets;
    private final InstanceLifecycle lifecycle;

    PushUpdates(Admission admission, InstanceTable table, PacketSwitch packets, InstanceLifecycle lifecycle) {
        this.admission = admission;
        this.table = table;
        this.packets = packets;
        this.lifecycle = lifecycle;
    }

    /**
     * Sends a PUSH_UPDATE to admitted client {@code peerId}, or to every admitted client when it is negative; returns
     * how many were sent one (clients that did not announce support are skipped, as 2.7 does). An update with
     * {@code ifconfig}/{@code ifconfig-ipv6} moves the client in the routing table once it is sent, as 2.7's
     * {@code update_vhash}: the old address is no longer routed to it, the new one is.
     *
     * @throws IllegalArgumentException when the update would move a client onto an address another connected client
     *     has or the address pool has leased or reserved (2.7 would take it from the other client)
     */
    int pushUpdate(int peerId, List<PushUpdate.Item> items) {
        AddressMove move = AddressMove.of(items);
        int sent = 0;
        for (Instance inst : peerId >= 0 ? java.util.Optional.ofNullable(table.byPeerId(peerId)).stream().toList() : table.all()) {
            if (inst.admitted == null) {
                continue;
            }
            if (!inst.session.takesPushUpdate()) {
                LOG.info("{}: PUSH_UPDATE not sent, the client did not announce support", inst.label());
                continue;
            }
            if (send(inst, items, move)) {
                sent++;
            }
        }
        return sent;
    }

    /** Sends one instance an update that may move it (checked first, so a refused move sends nothing). */
    private boolean send(Instance inst, List<PushUpdate.Item> items, AddressMove move) {
        List<Runnable> holds = move.moves() ? hold(inst, move.arriving(inst.addresses)) : List.of();
        if (inst.session.pushUpdate(items)) {
            if (move.moves()) {
                moved(inst, move, holds);
            }
            return true;
        }
        holds.forEach(Runnable::run);
        return false;
    }

    /** Checks the addresses a client is being moved onto are free, and keeps them from the pool. */
    private List<Runnable> hold(Instance inst, List<InetAddress> arriving) {
        List<Runnable> holds = new ArrayList<>();
        try {
            for (InetAddress a : arriving) {
                var holder = packets.holderOf(a);
                if (holder != null && !holder.equals(inst.id)) {
                    throw new IllegalArgumentException(Addresses.text(a) + " is the address of another connected client");
                }
                if (!inst.admitted.addresses().contains(a)) { // its own pool address needs no hold
                    try {
                        holds.add(admission.hold(a));
                    } catch (EngineException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                }
            }
            return holds;
        } catch (IllegalArgumentException e) {
            holds.forEach(Runnable::run);
            throw e;
        }
    }

    /** The update that moves {@code inst} is sent: its old addresses stop being routed to it, the new ones start. */
    private void moved(Instance inst, AddressMove move, List<Runnable> holds) {
        List<InetAddress> leaving = move.leaving(inst.addresses);
        List<InetAddress> arriving = move.arriving(inst.addresses);
        packets.move(inst.id, leaving, arriving);
        List<InetAddress> now = new ArrayList<>(inst.addresses);
        now.removeAll(leaving);
        now.addAll(arriving);
        inst.addresses = List.copyOf(now);
        inst.holds.addAll(holds);
        LOG.info("{}: PUSH_UPDATE moved the client from {} to {}", inst.label(),
                leaving.stream().map(Addresses::text).toList(), arriving.stream().map(Addresses::text).toList());
        lifecycle.moved(inst, leaving, arriving);
    }

    /**
     * After the client-config-dir entry of {@code commonName} changed: sends its connected instances their whole
     * route set again as a PUSH_UPDATE ({@code route}/{@code route-ipv6} options replace the ones pushed before; none
     * left is {@code -route}/{@code -route-ipv6}), and a new static address ({@code ifconfig-push},
     * {@code ifconfig-ipv6-push}) with it, which moves the client. A new address another client or the pool has is
     * left for the next connection (logged); the routes still go. Returns how many instances were sent one.
     */
    int refreshRoutes(String commonName) throws EngineException {
        List<String> pushes = admission.currentPushes(commonName);
        List<PushUpdate.Item> addressItems = new ArrayList<>();
        for (String option : admission.currentAddresses(commonName)) {
            addressItems.add(new PushUpdate.Item(List.of(option.trim().split("\\s+")), false, false));
        }
        List<PushUpdate.Item> items = new java.util.ArrayList<>();
        for (String kind : List.of("route", "route-ipv6")) {
            List<PushUpdate.Item> of = new java.util.ArrayList<>();
            for (String p : pushes) {
                List<String> w = List.of(p.trim().split("\\s+"));
                if (w.getFirst().equals(kind)) {
                    of.add(new PushUpdate.Item(w, false, false));
                }
            }
            items.addAll(of.isEmpty() ? List.of(new PushUpdate.Item(List.of(kind), true, false)) : of);
        }
        int sent = 0;
        for (Instance inst : table.all()) {
            if (inst.admitted == null || !commonName.equals(inst.session.commonName()) || !inst.session.takesPushUpdate()) {
                continue;
            }
            try {
                List<PushUpdate.Item> moving = new ArrayList<>(items);
                for (PushUpdate.Item a : addressItems) {
                    if (!AddressMove.of(List.of(a)).arriving(inst.addresses).isEmpty()) {
                        moving.add(a);
                    }
                }
                if (send(inst, moving, AddressMove.of(moving))) {
                    sent++;
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: new address not sent, it applies at the next connection: {}", inst.label(), e.getMessage());
                if (inst.session.pushUpdate(items)) {
                    sent++;
                }
            }
        }
        return sent;
    }
}
