package io.culvert.engine.transport.websocket;

import io.culvert.engine.transport.HttpHead;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HTTP/1.1 upgrade to WebSocket (RFC 6455 section 4), both ends, without I/O: the client's request and the check
 * of the server's answer; the server's check of a request and its answer.
 */
public final class Handshake {
    /** Appended to the key before hashing (section 1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {}

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String newKey(SecureRandom random) {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    /** The {@code Sec-WebSocket-Accept} for {@code key}. */
    public static String accept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client's upgrade request for {@code path} on {@code hostHeader} (host, with the port unless default). */
    public static byte[] request(String hostHeader, String path, String key) {
        return request(hostHeader, path, key, null);
    }

    /** The client's upgrade request, carrying {@code token} (null: none) as {@code Authorization: Bearer}. */
    public static byte[] request(String hostHeader, String path, String key, BearerToken token) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "User-Agent: Culvert\r\n"
                + (token == null ? "" : token.headerLine())
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Most header lines accepted in an upgrade request or answer. */
    public static final int MAX_HEADERS = 64;

    /**
     * Reads an upgrade request or answer of at most {@code maxBytes} and {@link #MAX_HEADERS} header lines; what is
     * wrong with it becomes the HTTP status to answer (400, or 431 for a head too large).
     */
    public static HttpHead readHead(InputStream in, int maxBytes) throws IOException {
        try {
            return HttpHead.read(in, maxBytes, MAX_HEADERS);
        } catch (HttpHead.Malformed e) {
            throw new WebSocketException(e.fault() == HttpHead.Fault.TOO_LARGE ? 431 : 400, switch (e.fault()) {
                case CLOSED_BEFORE -> "connection closed before an HTTP head";
                case CLOSED_INSIDE -> "connection closed inside the HTTP head";
                case TOO_LARGE -> "HTTP head larger than " + maxBytes + " bytes";
                case MALFORMED_HEADER -> "malformed header line";
                case TOO_MANY_HEADERS -> "more than " + MAX_HEADERS + " headers";
            });
        }
    }

    /** Hostile text bound for logs: control characters replaced, at most 120 characters. */
    public static String printable(String s) {
        return HttpHead.printable(s, 120);
    }

    /** Checks the server's answer to a request made with {@code key}; throws naming what is wrong. */
    public static void checkResponse(HttpHead head, String key) throws WebSocketException {
        String[] status = head.firstLine().split(" ", 3);
        if (status.length < 2 || !status[0].matches("HTTP/1\\.[01]") || !status[1].equals("101")) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR,
                    "the server did not switch to WebSocket: " + printable(head.firstLine()));
        }
        if (!head.hasToken("Upgrade", "websocket") || !head.hasToken("Connection", "upgrade")) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "the server's 101 answer lacks Upgrade: websocket");
        }
        if (!accept(key).equals(head.value("Sec-WebSocket-Accept"))) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "wrong Sec-WebSocket-Accept from the server");
        }
        if (head.value("Sec-WebSocket-Extensions") != null || head.value("Sec-WebSocket-Protocol") != null) {
            throw new WebSocketException(WebSocketException.PROTOCOL_ERROR, "the server chose an extension or subprotocol not asked for");
        }
    }

    /**
     * Checks a client's upgrade request for {@code path}; returns its {@code Sec-WebSocket-Key}. Throws with the HTTP
     * status to answer: 404 for another path, 426 without a WebSocket upgrade, 400 for anything malformed.
     */
    public static String checkRequest(HttpHead head, String path) throws WebSocketException {
        String[] line = head.firstLine().split(" ", -1);
        if (line.length != 3 || !line[2].equals("HTTP/1.1")) {
            throw new WebSocketException(400, "not an HTTP/1.1 request line: " + printable(head.firstLine()));
        }
        if (!line[0].equals("GET")) {
            throw new WebSocketException(405, "method " + printable(line[0]) + " is not GET");
        }
        String target = line[1];
        int q = target.indexOf('?');
        if (!(q >= 0 ? target.substring(0, q) : target).equals(path)) {
            throw new WebSocketException(404, "path " + printable(target) + " is not " + path);
        }
        if (!head.hasToken("Upgrade", "websocket") || !head.hasToken("Connection", "upgrade")) {
            throw new WebSocketException(426, "no WebSocket upgrade asked for");
        }
        if (!"13".equals(head.value("Sec-WebSocket-Version"))) {
            throw new WebSocketException(426, "Sec-WebSocket-Version is not 13");
        }
        String key = head.value("Sec-WebSocket-Key");
        byte[] raw;
        try {
            raw = key == null ? null : Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != 16) {
            throw new WebSocketException(400, "missing or malformed Sec-WebSocket-Key");
        }
        return key;
    }

    /** The server's 101 answer to a request with {@code key}. */
    public static byte[] response(String key) {
        return ("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A refusal: status {@code status} with a short plain-text body, the connection closed after it. */
    public static byte[] refusal(int status) {
        String reason = switch (status) {
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 408 -> "Request Timeout";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Bad Request";
        };
        int code = switch (status) {
            case 401, 404, 405, 408, 426, 429, 431, 503 -> status;
            default -> 400;
        };
        String body = reason + "\n";
        return ("HTTP/1.1 " + code + " " + reason + "\r\n"
                + (code == 426 ? "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" : "")
                + (code == 401 ? "WWW-Authenticate: Bearer\r\n" : "")
                + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
