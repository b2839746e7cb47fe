package io.culvert.engine.fuzz;

import java.nio.file.Path;
import java.util.List;

/**
 * Every coverage-guided fuzz target, by short name: its class (a {@code public static void
 * fuzzerTestOneInput(byte[])} method, as the Jazzer driver calls it), the packages whose branches count as
 * coverage, and its committed seed corpus under {@code src/test/resources/fuzz/NAME}. See ADR 0015 and
 * docs/fuzzing.md. Immutable.
 */
public enum FuzzTarget {
    /** .ovpn lexer, parser, both writers, validation and the import report. */
    CONFIG("io.culvert.engine.fuzz.ConfigFuzz", "io.culvert.engine.config.**", 10),
    /** Control packets, the reliability layer, key-method-2, control messages, early negotiation, data-channel messages. */
    CONTROL_CHANNEL("io.culvert.engine.fuzz.ControlChannelFuzz", "io.culvert.engine.protocol.**", 6),
    /** PUSH_REPLY and other option lines, pushed compression, peer-info. */
    PUSH_OPTIONS("io.culvert.engine.fuzz.PushOptionsFuzz", "io.culvert.engine.protocol.**:io.culvert.engine.server.PeerInfo:io.culvert.engine.client.PushedConfig**", 6),
    /** tls-auth, tls-crypt and tls-crypt-v2 unwrap (WKc included) with fixed keys. */
    CONTROL_WRAP("io.culvert.engine.fuzz.ControlWrapFuzz", "io.culvert.engine.crypto.**", 6),
    /** Data-channel open (AEAD and CBC+HMAC) with a fixed key, replay window included. */
    DATA_CHANNEL("io.culvert.engine.fuzz.DataChannelFuzz", "io.culvert.engine.crypto.**", 6),
    /** culvertd's JSON, its wire mapping and its line channel. */
    SERVICE_PROTOCOL("io.culvert.engine.fuzz.ServiceProtocolFuzz", "io.culvert.engine.daemon.protocol.**:io.culvert.engine.api.**", 6),
    /** The management interface's line reader and command handling. */
    MANAGEMENT("io.culvert.engine.management.ManagementFuzz", "io.culvert.engine.management.**:io.culvert.engine.common.**", 6),
    /** PEM certificates and keys, PKCS#12, CRLs and OpenVPN's own key files, checked against the JDK's readers. */
    PKI("io.culvert.engine.fuzz.PkiFuzz", "io.culvert.engine.tls.**:io.culvert.engine.pki.**:io.culvert.engine.crypto.**"
            + ":org.bouncycastle.asn1.**:org.bouncycastle.cert.**:org.bouncycastle.openssl.**:org.bouncycastle.pkcs.**"
            + ":org.bouncycastle.util.io.pem.**:org.bouncycastle.jcajce.provider.keystore.**", 25),
    /** LZO1X and LZ4 block decompression, checked against the system's liblzo2 and liblz4. */
    DECOMPRESS("io.culvert.engine.protocol.DecompressFuzz", "io.culvert.engine.protocol.**", 6),
    /** WebSocket frames (both directions) and the HTTP upgrade request (ADR 0042). */
    WEB_SOCKET("io.culvert.engine.fuzz.WebSocketFuzz", "io.culvert.engine.transport.websocket.**", 6);

    private final String className;
    private final String includes;
    private final int ciSeconds;

    FuzzTarget(String className, String includes, int ciSeconds) {
        this.className = className;
        this.includes = includes;
        this.ciSeconds = ciSeconds;
    }

    /**
     * The time budget of its CI run: 10 s, but PKI's first inputs load and instrument BouncyCastle's ASN.1,
     * certificate, PEM and PKCS#12 code, which alone takes several seconds.
     */
    public int ciSeconds() {
        return ciSeconds;
    }

    public String className() {
        return className;
    }

    /** Jazzer's {@code --instrumentation_includes} value (colon-separated patterns). */
    public String includes() {
        return includes;
    }

    /** The corpus folder name: {@code CONTROL_WRAP} is {@code ControlWrap}. */
    public String dirName() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /** The committed seed corpus, relative to the engine module. */
    public Path seedDir(Path engineDir) {
        return engineDir.resolve("src/test/resources/fuzz").resolve(dirName());
    }

    /** The target whose name or folder name is {@code name}, ignoring case. */
    public static FuzzTarget byName(String name) {
        for (FuzzTarget t : values()) {
            if (t.name().equalsIgnoreCase(name) || t.dirName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no fuzz target '" + name + "'; known: " + List.of(values()));
    }
}
