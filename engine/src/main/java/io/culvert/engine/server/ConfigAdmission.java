package io.culvert.engine.server;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.CcdEntry;
import io.culvert.engine.config.ClientConfigDir;
import io.culvert.engine.config.ServerConfig;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.net.Addresses;
import io.culvert.engine.server.pool.AddressPool;
import io.culvert.engine.server.pool.Lease;
import io.culvert.engine.server.pool.PoolPersistence;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission as a 2.6 server config describes it: a client-config-dir file (static address, iroutes, pushes,
 * push-reset, disable; ccd-exclusive) wins over the pool; pool leases prefer the address a common name had
 * before and persist to {@code ifconfig-pool-persist}. Not thread-safe; used on the server thread.
 */
final class ConfigAdmission implements Admission {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigAdmission.class);

    private final ServerConfig config;
    private final Path ccdDir;
    private final AddressPool pool;
    private final PoolPersistence persistence;

    ConfigAdmission(ServerConfig config, Path ccdDir, AddressPool pool, PoolPersistence persistence) {
        this.config = config;
        this.ccdDir = ccdDir;
        this.pool = pool;
        this.persistence = persistence;
        if (pool != null && persistence != null) {
            try {
                int n = persistence.load(pool);
                LOG.info("ifconfig-pool-persist: {} entries from {}", n, persistence.file());
            } catch (IOException e) {
                LOG.warn("ifconfig-pool-persist: cannot read {}: {}", persistence.file(), e.getMessage());
            }
        }
    }

    @Override
    public Admitted admit(String commonName, int peerId) throws EngineException {
        return admit(commonName, peerId, null);
    }

    @Override
    public Admitted admit(String commonName, int peerId, CcdEntry dynamic) throws EngineException {
        CcdEntry ccd = readCcd(commonName);
        if (dynamic != null) {
            ccd = ccd == null ? dynamic : ccd.then(dynamic);
        }
        if (ccd != null && ccd.disable()) {
            throw new EngineException(ErrorKind.AUTH_FAILED, "client-config-dir disables " + commonName);
        }
        List<String> pushes = ccd == null ? new ArrayList<>(config.routing().pushes())
                : ccd.pushesAfter(config.routing().pushes());
        List<InetAddress> addresses = new ArrayList<>();
        List<String> iroutes = new ArrayList<>();
        Runnable release = () -> { };
        if (ccd != null && ccd.ifconfigIpv6Push() != null) {
            String v6 = ccd.ifconfigIpv6Push();
            String local6 = config.addresses().ifconfigIpv6Local();
            pushes.add("ifconfig-ipv6 " + v6 + (local6 != null ? " " + local6 : ""));
            addresses.add(parse(v6.contains("/") ? v6.substring(0, v6.indexOf('/')) : v6));
        }
        if (ccd != null && ccd.ifconfigPushLocal() != null) {
            InetAddress local = parse(ccd.ifconfigPushLocal());
            pushes.add("ifconfig " + ccd.ifconfigPushLocal() + " " + ccd.ifconfigPushRemoteOrMask());
            addresses.add(local);
            if (pool != null && local instanceof Inet4Address v4 && pool.reserve(v4)) {
                release = () -> pool.unreserve(v4);
            }
        } else if (pool != null) {
            Optional<Lease> lease = pool.acquire(commonName, config.clients().duplicateCn());
            if (lease.isEmpty()) {
                throw new EngineException(ErrorKind.AUTH_FAILED, "address pool exhausted");
            }
            Lease l = lease.get();
            if (l.ifconfigIpv6Option() != null && (ccd == null || ccd.ifconfigIpv6Push() == null)) {
                pushes.add(l.ifconfigIpv6Option());
                addresses.add(l.ipv6());
            }
            if (l.ifconfigOption() != null) {
                pushes.add(l.ifconfigOption());
                addresses.add(l.address());
            }
            save();
            release = () -> {
                pool.release(l);
                save();
            };
        }
        if (ccd != null) {
            for (CcdEntry.Iroute r : ccd.iroutes()) {
                iroutes.add(r.network() + "/" + r.prefix());
            }
            for (String line : ccd.unsupported()) {
                LOG.warn("client-config-dir/{}: not applied: {}", commonName, line);
            }
        }
        return new Admitted(pushes, addresses, iroutes, release);
    }

    @Override
    public List<String> currentPushes(String commonName) throws EngineException {
        CcdEntry ccd = readCcd(commonName);
        return ccd == null ? new ArrayList<>(config.routing().pushes()) : ccd.pushesAfter(config.routing().pushes());
    }

    @Override
    public List<String> currentAddresses(String commonName) throws EngineException {
        CcdEntry ccd = readCcd(commonName);
        List<String> options = new ArrayList<>();
        if (ccd != null && ccd.ifconfigPushLocal() != null) {
            options.add("ifconfig " + ccd.ifconfigPushLocal() + " " + ccd.ifconfigPushRemoteOrMask());
        }
        if (ccd != null && ccd.ifconfigIpv6Push() != null) {
            String local6 = config.addresses().ifconfigIpv6Local();
            if (local6 != null) {
                options.add("ifconfig-ipv6 " + ccd.ifconfigIpv6Push() + " " + local6);
            }
        }
        return options;
    }

    @Override
    public Optional<CcdEntry> staticAddress(Inet4Address address) {
        Inet4Address second = pool == null ? null : pool.secondWordFor(address);
        if (second == null) {
            return Optional.empty();
        }
        return Optional.of(new CcdEntry(Addresses.text(address), Addresses.text(second), null, List.of(), List.of(),
                false, false, List.of()));
    }

    @Override
    public Runnable hold(InetAddress address) throws EngineException {
        if (pool == null) {
            return () -> { };
        }
        int slot = address instanceof Inet4Address v4 ? pool.indexOf(v4) : pool.indexOf((Inet6Address) address);
        if (slot < 0) {
            return () -> { };
        }
        if (pool.taken(slot)) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, address.getHostAddress()
                    + " is leased or reserved in the address pool");
        }
        pool.reserveSlot(slot);
        return () -> pool.unreserveSlot(slot);
    }

    private CcdEntry readCcd(String commonName) throws EngineException {
        if (ccdDir == null) {
            return null;
        }
        try {
            Optional<CcdEntry> entry = ClientConfigDir.read(ccdDir, commonName);
            if (entry.isEmpty() && config.clients().ccdExclusive()) {
                throw new EngineException(ErrorKind.AUTH_FAILED, "ccd-exclusive: no client-config-dir file for " + commonName);
            }
            return entry.orElse(null);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.AUTH_FAILED, "client-config-dir/" + commonName + ": " + e.getMessage(), e);
        }
    }

    private void save() {
        if (persistence != null && !persistence.readOnly()) {
            try {
                persistence.save(pool);
            } catch (IOException e) {
                LOG.warn("ifconfig-pool-persist: cannot write {}: {}", persistence.file(), e.getMessage());
            }
        }
    }

    private static InetAddress parse(String literal) throws EngineException {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "not an IP address: " + literal, e);
        }
    }
}
