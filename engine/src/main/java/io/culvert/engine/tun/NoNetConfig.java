package io.culvert.engine.tun;

import java.util.Optional;

/**
 * A {@link NetConfig} that changes nothing on the host: for in-memory devices (tests, the no-root demo),
 * where addresses and routes have no kernel counterpart. Immutable.
 */
public final class NoNetConfig implements NetConfig {
    @Override
    public void setLinkUp(String dev, int mtu) {}

    @Override
    public void addAddress(String dev, String cidr) {}

    @Override
    public void addPeerAddress(String dev, String local, String peer) {}

    @Override
    public void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) {}

    @Override
    public void addAddress6(String dev, String cidr) {}

    @Override
    public void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) {}

    @Override
    public void addRoute(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) {}

    @Override
    public void addRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric, int table) {}

    @Override
    public Optional<NextHop> routeTo(String address) {
        return Optional.empty();
    }

    @Override
    public Optional<NextHop> defaultGateway() {
        return Optional.empty();
    }

    @Override
    public void undoAll() {}

    @Override
    public void removeRoute(String cidr, String gatewayOrNull, String devOrNull, int metric) {}

    @Override
    public void removeRoute6(String cidr, String gatewayOrNull, String devOrNull, int metric) {}

    @Override
    public void removeAddress(String dev, String cidr) {}

    @Override
    public void removePeerAddress(String dev, String local, String peer) {}

    @Override
    public void removeAddress6(String dev, String cidr) {}
}
