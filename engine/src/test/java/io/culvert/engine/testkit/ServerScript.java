package io.culvert.engine.testkit;

import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.tls.TlsSettings;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link ScriptedServer} does. Immutable; the {@code with…} methods return changed copies.
 *
 * @param wrap server side of the control-channel protection
 * @param tls server TLS settings (client = false)
 * @param pushResponse control messages sent, in order, in answer to the first PUSH_REQUEST (PUSH_REPLY parts,
 *     AUTH_FAILED, RESTART …); empty = never answer
 * @param derivation key derivation the server uses; {@code FOLLOW_PUSH} means what its own push says
 * @param authDigest digest for CBC data-channel HMACs
 * @param keySwitchDelay how long after a renegotiation starts the server keeps sending on the old key
 *     (2.6: min(hand-window, reneg-sec/2), about 60 s)
 * @param tlsTimeoutMillis initial control retransmit timeout
 * @param options the options string of the server's key-method-2 message
 */
public record ServerScript(
        ControlWrapSpec wrap,
        TlsSettings tls,
        List<String> pushResponse,
        Derivation derivation,
        String authDigest,
        Duration keySwitchDelay,
        long tlsTimeoutMillis,
        String options) {

    /** How the server derives data-channel keys. */
    public enum Derivation {
        /** EKM if the push says tls-ekm (protocol-flags or key-derivation), else the OpenVPN PRF. */
        FOLLOW_PUSH,
        /** Always the TLS exporter (to test a client that ignores the push). */
        EKM,
        /** Always the OpenVPN PRF. */
        PRF
    }

    /** A typical 2.6 push for a subnet server and a 2.6 client. */
    public static final String DEFAULT_PUSH = "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 60,"
            + "ifconfig 10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm,tun-mtu 1500";

    public static final String DEFAULT_OPTIONS = "V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,"
            + "auth [null-digest],keysize 256,key-method 2,tls-server";

    public ServerScript {
        pushResponse = List.copyOf(pushResponse);
    }

    public static ServerScript none(MemoryPki pki) {
        return defaults(ControlWrapSpec.none(), pki);
    }

    /** Server side of tls-auth: key direction 0 (the client uses 1). */
    public static ServerScript tlsAuth(MemoryPki pki) {
        return defaults(ControlWrapSpec.tlsAuth(pki.tlsAuthKey(), KeyDirection.NORMAL, "SHA256"), pki);
    }

    public static ServerScript tlsCrypt(MemoryPki pki) {
        return defaults(ControlWrapSpec.tlsCrypt(pki.tlsCryptKey()), pki);
    }

    private static ServerScript defaults(ControlWrapSpec wrap, MemoryPki pki) {
        return new ServerScript(wrap, pki.serverTls(), List.of(DEFAULT_PUSH), Derivation.FOLLOW_PUSH, "SHA1",
                Duration.ofSeconds(60), 2000, DEFAULT_OPTIONS);
    }

    /** Answers PUSH_REQUEST with these messages (one message each); none = stay silent. */
    public ServerScript withPushResponse(String... messages) {
        return new ServerScript(wrap, tls, List.of(messages), derivation, authDigest, keySwitchDelay, tlsTimeoutMillis, options);
    }

    public ServerScript withDerivation(Derivation d) {
        return new ServerScript(wrap, tls, pushResponse, d, authDigest, keySwitchDelay, tlsTimeoutMillis, options);
    }

    public ServerScript withKeySwitchDelay(Duration d) {
        return new ServerScript(wrap, tls, pushResponse, derivation, authDigest, d, tlsTimeoutMillis, options);
    }

    public ServerScript withAuthDigest(String digest) {
        return new ServerScript(wrap, tls, pushResponse, derivation, digest, keySwitchDelay, tlsTimeoutMillis, options);
    }
}
