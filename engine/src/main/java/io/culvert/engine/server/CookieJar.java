package io.culvert.engine.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.InstantSource;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 2.6 UDP server's stateless handshake start (fact sheet §2.7): the server's session id for a new client
 * is an HMAC over a time slot, the client's address and the client's session id, so no state exists until the
 * client proves it received the server's reset. Not thread-safe; owned by the server thread.
 */
final class CookieJar {
    private final Mac mac;
    private final InstantSource clock;
    private final long slotMillis;

    CookieJar(InstantSource clock, int handWindowSeconds, SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        this.clock = clock;
        this.slotMillis = Math.max(1, (handWindowSeconds + 1) / 2) * 1000L;
    }

    /** The server session id to use for a client reset arriving now. */
    long sessionIdFor(InetSocketAddress client, long clientSid) {
        return compute(slot(), client, clientSid);
    }

    /** True when {@code serverSid} is the cookie for this client in the current slot or one of the two before it. */
    boolean valid(long serverSid, InetSocketAddress client, long clientSid) {
        long slot = slot();
        for (int back = 0; back <= 2; back++) {
            if (compute(slot - back, client, clientSid) == serverSid) {
                return true;
            }
        }
        return false;
    }

    private long slot() {
        return clock.millis() / slotMillis;
    }

    private long compute(long slot, InetSocketAddress client, long clientSid) {
        byte[] addr = client.getAddress().getAddress();
        ByteBuffer in = ByteBuffer.allocate(8 + addr.length + 2 + 8);
        in.putLong(slot).put(addr).putShort((short) client.getPort()).putLong(clientSid);
        byte[] out = mac.doFinal(in.array());
        long sid = ByteBuffer.wrap(out, 0, 8).getLong();
        return sid == 0 ? 1 : sid;
    }
}
