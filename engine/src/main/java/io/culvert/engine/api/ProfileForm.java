package io.culvert.engine.api;

import java.util.List;

/**
 * The main settings of a client profile as a form edits them. List entries hold a directive's arguments
 * separated by single spaces (a remote is "host [port [proto]]", a route "network [netmask [gateway [metric]]]").
 * Only top-level directives appear; {@code <connection>} blocks are kept as they are. Instances are immutable.
 *
 * @param remotes {@code remote} lines, in order
 * @param proto {@code proto} (udp, tcp-client ...), or empty when not set
 * @param dev {@code dev} (tun, tap, tun0 ...), or empty when not set
 * @param dataCiphers the {@code data-ciphers} list, empty when not set
 * @param authUserPass true when the profile asks for a username and password
 * @param redirectGateway true when all traffic goes through the tunnel ({@code redirect-gateway def1})
 * @param routes {@code route} lines, in order
 * @param killSwitch Culvert's kill switch ({@code setenv opt culvert-kill-switch}): nothing leaves but the tunnel
 * @param killSwitchAllowsLan with the kill switch, the local networks stay reachable ({@code allow-lan})
 */
public record ProfileForm(List<String> remotes, String proto, String dev, List<String> dataCiphers, boolean authUserPass,
        boolean redirectGateway, List<String> routes, boolean killSwitch, boolean killSwitchAllowsLan) {

    /** Without a kill switch. */
    public ProfileForm(List<String> remotes, String proto, String dev, List<String> dataCiphers, boolean authUserPass,
            boolean redirectGateway, List<String> routes) {
        this(remotes, proto, dev, dataCiphers, authUserPass, redirectGateway, routes, false, false);
    }

    public ProfileForm {
        remotes = List.copyOf(remotes);
        dataCiphers = List.copyOf(dataCiphers);
        routes = List.copyOf(routes);
        proto = proto == null ? "" : proto;
        dev = dev == null ? "" : dev;
    }
}
