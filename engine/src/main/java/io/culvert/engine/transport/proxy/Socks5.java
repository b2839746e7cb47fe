package io.culvert.engine.transport.proxy;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** The SOCKS5 messages (RFC 1928, username/password from RFC 1929) a client sends and reads. Stateless. */
public final class Socks5 {
    /** Method: no authentication. */
    public static final int NO_AUTH = 0x00;
    /** Method: username/password. */
    public static final int USER_PASS = 0x02;
    /** Method reply: none acceptable. */
    public static final int NO_ACCEPTABLE = 0xFF;
    /** Command: TCP CONNECT. */
    public static final int CONNECT = 0x01;
    /** Command: UDP ASSOCIATE. */
    public static final int UDP_ASSOCIATE = 0x03;

    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;

    /** The server's reply to CONNECT or UDP ASSOCIATE. */
    public record Reply(int code, InetSocketAddress bound) {
        public boolean succeeded() {
            return code == 0;
        }
    }

    private Socks5() {}

    /** Version 5 with the offered methods: no-auth, plus username/password when we have credentials. */
    public static byte[] greeting(boolean withPassword) {
        return withPassword ? new byte[] {5, 2, NO_AUTH, USER_PASS} : new byte[] {5, 1, NO_AUTH};
    }

    /** Reads the two-byte method choice; returns the method. */
    public static int readMethodChoice(InputStream in) throws IOException {
        byte[] b = readExactly(in, 2);
        if (b[0] != 5) {
            throw malformed("SOCKS proxy answered with version " + (b[0] & 0xff) + ", not 5");
        }
        return b[1] & 0xff;
    }

    /** The RFC 1929 sub-negotiation request. */
    public static byte[] passwordRequest(ProxyCredentials c) {
        byte[] user = c.username().getBytes(StandardCharsets.UTF_8);
        byte[] pass = c.password().getBytes(StandardCharsets.UTF_8);
        if (user.length > 255 || pass.length > 255) {
            throw new IllegalArgumentException("SOCKS username and password are limited to 255 bytes each");
        }
        byte[] out = new byte[3 + user.length + pass.length];
        out[0] = 1;
        out[1] = (byte) user.length;
        System.arraycopy(user, 0, out, 2, user.length);
        out[2 + user.length] = (byte) pass.length;
        System.arraycopy(pass, 0, out, 3 + user.length, pass.length);
        return out;
    }

    /**
     * True when the RFC 1929 status reply accepts the credentials. Its version is 1; proxies that answer with SOCKS's
     * 5 instead are accepted too, as OpenVPN (2.7 demands the 5), curl and tinyproxy accept them.
     */
    public static boolean readPasswordStatus(InputStream in) throws IOException {
        byte[] b = readExactly(in, 2);
        if (b[0] != 1 && b[0] != 5) {
            throw malformed("SOCKS proxy answered the password request with version " + (b[0] & 0xff));
        }
        return b[1] == 0;
    }

    /** A CONNECT or UDP ASSOCIATE request; IP literals go as addresses, anything else as a domain name. */
    public static byte[] request(int command, String host, int port) {
        byte[] addr = address(host);
        byte[] out = new byte[3 + addr.length + 2];
        out[0] = 5;
        out[1] = (byte) command;
        out[2] = 0;
        System.arraycopy(addr, 0, out, 3, addr.length);
        out[out.length - 2] = (byte) (port >>> 8);
        out[out.length - 1] = (byte) port;
        return out;
    }

    /** Reads a CONNECT / UDP ASSOCIATE reply including its bound address. */
    public static Reply readReply(InputStream in) throws IOException {
        byte[] head = readExactly(in, 4);
        if (head[0] != 5) {
            throw malformed("SOCKS proxy replied with version " + (head[0] & 0xff) + ", not 5");
        }
        InetSocketAddress bound = readAddress(in, head[3] & 0xff);
        return new Reply(head[1] & 0xff, bound);
    }

    /** RFC 1928's words for a reply code. */
    public static String replyText(int code) {
        return switch (code) {
            case 0 -> "succeeded";
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "unknown reply code " + code;
        };
    }

    /** A UDP datagram for the relay: RSV RSV FRAG=0, the destination, then {@code payload}. */
    public static byte[] wrapUdp(InetSocketAddress dest, byte[] payload) {
        byte[] addr = address(dest.getAddress().getHostAddress());
        byte[] out = new byte[3 + addr.length + 2 + payload.length];
        System.arraycopy(addr, 0, out, 3, addr.length);
        out[3 + addr.length] = (byte) (dest.getPort() >>> 8);
        out[4 + addr.length] = (byte) dest.getPort();
        System.arraycopy(payload, 0, out, 5 + addr.length, payload.length);
        return out;
    }

    /** The length of the SOCKS header in front of a relayed datagram's payload; fragments are dropped. */
    public static Decoded<Integer> udpHeaderLength(byte[] buf, int len) {
        if (len < 4) {
            return Decoded.drop(DropReason.TRUNCATED);
        }
        if (buf[0] != 0 || buf[1] != 0 || buf[2] != 0) {
            return Decoded.drop(DropReason.MALFORMED); // reserved bytes or a fragment, which OpenVPN never sends
        }
        int header = switch (buf[3]) {
            case ATYP_IPV4 -> 4 + 4 + 2;
            case ATYP_IPV6 -> 4 + 16 + 2;
            case ATYP_DOMAIN -> len > 4 ? 4 + 1 + (buf[4] & 0xff) + 2 : Integer.MAX_VALUE;
            default -> -1;
        };
        if (header < 0) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        return header > len ? Decoded.drop(DropReason.TRUNCATED) : Decoded.ok(header);
    }

    private static byte[] address(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(h)) {
            try {
                byte[] ip = InetAddress.getByName(h).getAddress(); // a literal: no lookup happens
                byte[] out = new byte[1 + ip.length];
                out[0] = (byte) (ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
                System.arraycopy(ip, 0, out, 1, ip.length);
                return out;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad address " + h, e);
            }
        }
        byte[] name = h.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length > 255) {
            throw new IllegalArgumentException("SOCKS host names are 1 to 255 bytes: " + h);
        }
        byte[] out = new byte[2 + name.length];
        out[0] = ATYP_DOMAIN;
        out[1] = (byte) name.length;
        System.arraycopy(name, 0, out, 2, name.length);
        return out;
    }

    static boolean isIpLiteral(String h) {
        return h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.indexOf(':') >= 0 && h.matches("[0-9A-Fa-f:.]+"));
    }

    private static InetSocketAddress readAddress(InputStream in, int atyp) throws IOException {
        byte[] addr = switch (atyp) {
            case ATYP_IPV4 -> readExactly(in, 4);
            case ATYP_IPV6 -> readExactly(in, 16);
            case ATYP_DOMAIN -> readExactly(in, readExactly(in, 1)[0] & 0xff);
            default -> throw malformed("SOCKS proxy replied with unknown address type " + atyp);
        };
        byte[] p = readExactly(in, 2);
        int port = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
        if (atyp == ATYP_DOMAIN) {
            return InetSocketAddress.createUnresolved(new String(addr, StandardCharsets.US_ASCII), port);
        }
        return new InetSocketAddress(InetAddress.getByAddress(addr), port);
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        try {
            new DataInputStream(in).readFully(b);
        } catch (EOFException e) {
            throw malformed("SOCKS proxy closed the connection during the handshake");
        }
        return b;
    }

    private static ProxyException malformed(String message) {
        return new ProxyException(ProxyException.Reason.MALFORMED, message);
    }
}
