package io.culvert.engine.client;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.DnsOptions;
import io.culvert.engine.config.Keepalive;
import io.culvert.engine.config.DnsOptionsParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The options a server pushed, typed. Built once from the complete PUSH_REPLY. Instances are immutable.
 *
 * @param ifconfig the "ifconfig A B" words (A = own address; B = peer or netmask by topology), or null
 * @param ifconfigIpv6 "addr/bits", or null
 * @param ipv6Gateway the server's tunnel IPv6 address, or null
 * @param topology "net30" (2.6 default), "subnet" or "p2p"
 * @param routeGateway the pushed route-gateway, or null
 * @param routes pushed IPv4 routes, each as the words after "route"
 * @param routes6 pushed IPv6 routes, each as the words after "route-ipv6"
 * @param redirectGateway flags of redirect-gateway, or null when not pushed
 * @param dns DNS servers from dhcp-option DNS / DNS6
 * @param domains DNS domains from dhcp-option DOMAIN / DOMAIN-SEARCH
 * @param ping keepalive interval in seconds, -1 if not pushed
 * @param pingRestart restart timeout in seconds, -1 if not pushed
 * @param peerId peer id for P_DATA_V2, -1 for P_DATA_V1
 * @param cipher the negotiated data cipher, or null when the server pushed none
 * @param tlsEkm keys come from the TLS exporter instead of the OpenVPN PRF
 * @param ccExit the client says goodbye with an EXIT control message
 * @param aeadEpoch the server chose 2.7's epoch data format ({@code protocol-flags aead-epoch})
 * @param compression the words of the last comp-lzo/compress option, or null
 * @param tunMtu pushed tun-mtu, -1 if none
 * @param mssfix pushed mssfix, or null if none
 * @param authToken auth-token to use instead of the password on renegotiation, or null
 * @param ignored options that were pushed but are not applied here, for the log
 * @param dnsOptions pushed {@code dns} options ({@link DnsOptions#EMPTY} when none); pushed servers use priorities 0..127
 * @param routeDelay pushed {@code route-delay} seconds (it replaces the profile's, as in openvpn), -1 if not pushed
 * @param sessionTimeout pushed {@code session-timeout} seconds, -1 if not pushed
 * @param shaper pushed {@code shaper} bytes a second, 0 if not pushed
 * @param authTokenUser pushed {@code auth-token-user}, base64-decoded: the username to send with the auth token
 *                      (OpenVPN's {@code set_auth_token_user}), or null
 * @param routeMetric pushed {@code route-metric}, replacing the profile's (0 = none), or -1 if not pushed
 * @param timers whether the push holds a timer option ({@code ping}, {@code ping-restart}, {@code ping-exit},
 *               {@code inactive}, {@code session-timeout}, {@code ping-timer-rem}): OpenVPN then starts its timers
 *               again, the session timeout among them
 */
public record PushedConfig(
        List<String> ifconfig,
        String ifconfigIpv6,
        String ipv6Gateway,
        String topology,
        String routeGateway,
        List<List<String>> routes,
        List<List<String>> routes6,
        Set<String> redirectGateway,
        List<String> dns,
        List<String> domains,
        int ping,
        int pingRestart,
        int peerId,
        String cipher,
        boolean tlsEkm,
        boolean ccExit,
        boolean aeadEpoch,
        List<String> compression,
        int tunMtu,
        Mssfix mssfix,
        String authToken,
        List<String> ignored,
        DnsOptions dnsOptions,
        int routeDelay,
        int sessionTimeout,
        boolean timers,
        int shaper,
        String authTokenUser,
        int routeMetric) {

    @Override
    public String toString() {
        return "PushedConfig[ifconfig=" + ifconfig + ", ifconfigIpv6=" + ifconfigIpv6 + ", topology=" + topology
                + ", routes=" + routes + ", routes6=" + routes6 + ", redirectGateway=" + redirectGateway + ", dns=" + dns
                + ", dnsOptions=" + dnsOptions
                + ", cipher=" + cipher + ", peerId=" + peerId + ", aeadEpoch=" + aeadEpoch
                + ", authToken=" + (authToken == null ? "none" : "***")
                + ", authTokenUser=" + (authTokenUser == null ? "none" : "***") + "]";
    }

    /** Thrown for a pushed option with invalid arguments. */
    public static final class BadPushException extends Exception {
        public BadPushException(String message) {
            super(message);
        }
    }

    public static PushedConfig from(List<List<String>> options) throws BadPushException {
        Builder b = new Builder();
        for (List<String> option : options) {
            if (!option.isEmpty()) {
                b.apply(option);
            }
        }
        return b.build();
    }

    private static final class Builder {
        List<String> ifconfig;
        String ifconfigIpv6;
        String ipv6Gateway;
        String topology = "net30";
        String routeGateway;
        final List<List<String>> routes = new ArrayList<>();
        final List<List<String>> routes6 = new ArrayList<>();
        Set<String> redirect;
        final List<String> dns = new ArrayList<>();
        final List<String> domains = new ArrayList<>();
        int ping = -1;
        int pingRestart = -1;
        int peerId = -1;
        String cipher;
        boolean ekm;
        boolean ccExit;
        boolean aeadEpoch;
        List<String> compression;
        int tunMtu = -1;
        int routeDelay = -1;
        int sessionTimeout = -1;
        boolean timers;
        int shaper;
        String authTokenUser;
        int routeMetric = -1;
        Mssfix mssfix;
        String authToken;
        final List<String> ignored = new ArrayList<>();
        final DnsOptionsParser dnsOptions = DnsOptions.builder(true);

        void apply(List<String> o) throws BadPushException {
            String name = o.getFirst();
            List<String> args = o.subList(1, o.size());
            switch (name) {
                case "ifconfig" -> ifconfig = List.copyOf(need(o, 2, 2));
                case "ifconfig-ipv6" -> {
                    need(o, 1, 2);
                    ifconfigIpv6 = args.get(0);
                    ipv6Gateway = args.size() > 1 ? args.get(1) : null;
                }
                case "topology" -> topology = need(o, 1, 1).getFirst();
                // the window (second argument) only bounds Windows' wait for its adapter
                case "route-delay" -> routeDelay = need(o, 0, 2).isEmpty() ? 0 : number(o.subList(0, 2), 0, 3600);
                case "route-gateway" -> routeGateway = need(o, 1, 1).getFirst();
                case "route" -> routes.add(List.copyOf(need(o, 1, 4)));
                case "route-ipv6" -> routes6.add(List.copyOf(need(o, 1, 3)));
                // replaces the profile's route-metric, as a later option does in openvpn (0 = none)
                case "route-metric" -> routeMetric = number(o, 0, Integer.MAX_VALUE);
                case "redirect-gateway", "redirect-private" -> redirect = Set.copyOf(args);
                case "dhcp-option" -> dhcpOption(need(o, 1, 2));
                case "dns" -> {
                    try {
                        dnsOptions.add(args, 0);
                    } catch (DnsOptions.DnsOptionException e) {
                        throw new BadPushException("pushed option '" + String.join(" ", o) + "': " + e.getMessage());
                    }
                }
                case "ping" -> {
                    ping = number(o, 0, Keepalive.PING_TIMEOUT_MAX);
                    timers = true;
                }
                case "ping-restart" -> {
                    pingRestart = number(o, 0, Keepalive.PING_TIMEOUT_MAX);
                    timers = true;
                }
                case "session-timeout" -> {
                    sessionTimeout = number(o, 0, Integer.MAX_VALUE);
                    timers = true;
                }
                case "shaper" -> shaper = number(o, 100, 100_000_000);
                case "ping-exit", "inactive", "ping-timer-rem" -> {
                    ignored.add(String.join(" ", o));
                    timers = true;
                }
                case "peer-id" -> peerId = number(o, 0, 0xFFFFFE);
                case "cipher" -> cipher = need(o, 1, 1).getFirst();
                case "key-derivation" -> ekm = need(o, 1, 1).getFirst().equals("tls-ekm");
                case "protocol-flags" -> {
                    for (String flag : args) {
                        switch (flag) {
                            case "tls-ekm" -> ekm = true;
                            case "cc-exit" -> ccExit = true;
                            case "aead-epoch" -> aeadEpoch = true;
                            default -> ignored.add("protocol-flags " + flag);
                        }
                    }
                }
                case "comp-lzo", "compress" -> compression = List.copyOf(o);
                case "tun-mtu" -> tunMtu = number(o, 576, 65535);
                case "mssfix" -> {
                    List<String> a = need(o, 1, 2);
                    try {
                        mssfix = Mssfix.of(number(List.of(o.get(0), a.get(0)), 0, 65535), a.size() > 1 ? a.get(1) : null);
                    } catch (IllegalArgumentException e) {
                        throw new BadPushException("pushed option '" + String.join(" ", o) + "': " + e.getMessage());
                    }
                }
                case "auth-token" -> authToken = need(o, 1, 1).getFirst();
                case "auth-token-user" -> {
                    try {
                        byte[] user = java.util.Base64.getDecoder().decode(need(o, 1, 1).getFirst());
                        authTokenUser = user.length == 0 ? null : new String(user, java.nio.charset.StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        ignored.add("auth-token-user (Error decoding auth-token-username)"); // openvpn's D_PUSH line
                    }
                }
                default -> ignored.add(String.join(" ", o));
            }
        }

        private void dhcpOption(List<String> o) {
            String type = o.get(0).toUpperCase(Locale.ROOT);
            if (o.size() < 2) {
                ignored.add("dhcp-option " + String.join(" ", o));
                return;
            }
            switch (type) {
                case "DNS", "DNS6" -> dns.add(o.get(1));
                case "DOMAIN", "DOMAIN-SEARCH", "ADAPTER_DOMAIN_SUFFIX" -> domains.add(o.get(1));
                default -> ignored.add("dhcp-option " + String.join(" ", o));
            }
        }

        private static List<String> need(List<String> o, int min, int max) throws BadPushException {
            int n = o.size() - 1;
            if (n < min || n > max) {
                throw new BadPushException("pushed option '" + String.join(" ", o) + "' needs " + min
                        + (max != min ? " to " + max : "") + " arguments");
            }
            return o.subList(1, o.size());
        }

        private static int number(List<String> o, int min, int max) throws BadPushException {
            need(o, 1, 1);
            try {
                int v = Integer.parseInt(o.get(1).trim());
                if (v < min || v > max) {
                    throw new BadPushException("pushed option '" + String.join(" ", o) + "' is out of range");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new BadPushException("pushed option '" + String.join(" ", o) + "' is not a number");
            }
        }

        PushedConfig build() throws BadPushException {
            DnsOptions dnsPushed;
            try {
                dnsPushed = dnsOptions.build();
            } catch (DnsOptions.DnsOptionException e) {
                throw new BadPushException("pushed dns options: " + e.getMessage());
            }
            return new PushedConfig(ifconfig, ifconfigIpv6, ipv6Gateway, topology, routeGateway, List.copyOf(routes),
                    List.copyOf(routes6), redirect, List.copyOf(dns), List.copyOf(domains), ping, pingRestart, peerId, cipher,
                    ekm, ccExit, aeadEpoch, compression, tunMtu, mssfix, authToken, List.copyOf(ignored), dnsPushed,
                    routeDelay, sessionTimeout, timers, shaper, authTokenUser, routeMetric);
        }
    }
}
