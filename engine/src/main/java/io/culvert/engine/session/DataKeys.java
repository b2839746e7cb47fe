package io.culvert.engine.session;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.crypto.DataChannel;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.Prf;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.Arrays;
import javax.net.ssl.SSLException;

/**
 * Derives a key generation's data-channel keys, by TLS-EKM or the OpenVPN PRF (fact sheet §6), for either role, in
 * the classic data format or in 2.7's epoch format. Stateless.
 */
public final class DataKeys {
    private static final String EKM_LABEL = "EXPORTER-OpenVPN-datakeys";

    private DataKeys() {}

    /**
     * Installs {@code ks.data}. The key-method-2 messages of both sides must be known; {@code clientSid} and
     * {@code serverSid} are the two session ids (the PRF mixes them in).
     */
    public static void derive(KeyState ks, boolean server, boolean ekm, DataCipher cipher, String auth, long clientSid,
            long serverSid, InstantSource clock) throws EngineException {
        derive(ks, server, ekm, false, cipher, auth, clientSid, serverSid, clock);
    }

    /** As above; with {@code epoch} the keys are for 2.7's epoch data format (AEAD ciphers only). */
    public static void derive(KeyState ks, boolean server, boolean ekm, boolean epoch, DataCipher cipher, String auth,
            long clientSid, long serverSid, InstantSource clock) throws EngineException {
        byte[] key2 = null;
        try {
            if (ekm) {
                key2 = ks.tls.exportKeyingMaterial(EKM_LABEL, 256);
            } else {
                var client = server ? ks.remote : ks.local;
                var srv = server ? ks.local : ks.remote;
                key2 = Prf.openvpnKeyExpansion(client.preMaster(), client.random1(), srv.random1(), client.random2(),
                        srv.random2(), sid(clientSid), sid(serverSid));
            }
            ks.data = epoch ? DataChannel.createEpoch(cipher, key2, server, clock)
                    : DataChannel.create(cipher, auth, key2, server, clock);
            ks.activeAt = clock.millis();
        } catch (SSLException | IllegalArgumentException e) {
            throw new EngineException(ErrorKind.TLS_HANDSHAKE_FAILED, "data channel key derivation failed: " + e.getMessage(), e);
        } finally {
            if (key2 != null) {
                Arrays.fill(key2, (byte) 0);
            }
        }
    }

    private static byte[] sid(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
