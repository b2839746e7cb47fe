package io.culvert.engine.tls;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;

/**
 * One TLS session of the control channel, driven entirely through byte arrays: ciphertext comes from and
 * goes to the reliability layer, plaintext records are the key-method-2 message and control messages.
 * Every renegotiation gets a fresh channel. Not thread-safe; owned by the session thread.
 */
public final class TlsChannel {
    private static final int MAX_BUFFERED = 256 * 1024;
    /** Buffers start small and shrink back after use: a server keeps one channel per client for hours. */
    private static final int SMALL = 2048;
    /** Above NewSessionTicket's 7-day limit (RFC 8446 §4.6.1): JSSE then issues no tickets. */
    private static final int NO_TICKETS_TIMEOUT_SECONDS = 604_800 + 1;
    private final SSLEngine engine;
    private ByteBuffer netIn = ByteBuffer.allocate(SMALL);
    private ByteBuffer netOut = ByteBuffer.allocate(SMALL);
    private ByteBuffer appIn = ByteBuffer.allocate(SMALL);
    private final List<byte[]> records = new ArrayList<>();
    private boolean started;
    private boolean handshakeDone;

    /** JSSE's wording when the peer's fatal alert arrives (sun.security.ssl.Alert). */
    private static final String RECEIVED_FATAL = "Received fatal alert:";
    /**
     * JSSE's wording for an alert sent in the clear where it expected an encrypted record: OpenSSL does that when it
     * refuses a TLS 1.3 server's certificate ("Unexpected plaintext alert received: Level: fatal; Alert: unknown_ca").
     */
    private static final String PLAINTEXT_ALERT = "; Alert:";
    private static final ContextCache CONTEXTS = new ContextCache();

    private TlsChannel(SSLEngine engine) {
        this.engine = engine;
    }

    /**
     * Starts a channel for {@code settings}. The {@link SSLContext} (key manager, trust manager, random source) is built
     * once per settings instance and reused: a server builds one settings for all its clients, and building a context
     * per handshake cost more CPU than the handshake's own public-key operations. No session is ever resumed (see
     * {@link #context}), so reusing the context changes nothing on the wire except that no session ticket is sent.
     */
    public static TlsChannel create(TlsSettings settings) throws GeneralSecurityException {
        SSLContext context = CONTEXTS.get(settings);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(settings.client());
        engine.setEnabledProtocols(settings.protocols());
        if (!settings.client()) {
            switch (settings.clientCerts()) {
                case REQUIRE -> engine.setNeedClientAuth(true);
                case OPTIONAL -> engine.setWantClientAuth(true);
                case NONE -> engine.setWantClientAuth(false);
            }
        }
        engine.setEnableSessionCreation(true);
        return new TlsChannel(engine);
    }

    /** Starts the handshake; a client produces its ClientHello. */
    public void start() throws SSLException {
        if (!started) {
            started = true;
            try {
                engine.beginHandshake();
                pump();
            } catch (SSLException e) {
                throw failed(e);
            }
        }
    }

    public boolean started() {
        return started;
    }

    /** Feeds ciphertext received from the peer, in order. */
    public void feed(byte[] ciphertext) throws SSLException {
        if (ciphertext.length == 0) {
            return;
        }
        if (netIn.position() + ciphertext.length > MAX_BUFFERED) {
            throw new SSLException("TLS input exceeds " + MAX_BUFFERED + " bytes without a complete record");
        }
        netIn = ensure(netIn, ciphertext.length);
        netIn.put(ciphertext);
        if (!started) {
            start();
            return;
        }
        try {
            pump();
        } catch (SSLException e) {
            throw failed(e);
        }
    }

    /** Encrypts one plaintext record (a key-method-2 message or one control message). */
    public void write(byte[] plaintext) throws SSLException {
        if (!handshakeDone) {
            throw new SSLException("TLS handshake not complete; cannot send application data yet");
        }
        ByteBuffer src = ByteBuffer.wrap(plaintext);
        while (src.hasRemaining()) {
            int before = src.remaining();
            int produced = netOut.position();
            wrap(src);
            if (src.remaining() == before && netOut.position() == produced) {
                throw new SSLException("TLS engine accepted no application data (state " + engine.getHandshakeStatus() + ")");
            }
        }
        pump();
    }

    /**
     * After a failure, leaves the alert JSSE has for the peer (bad_certificate, protocol_version …) in the outgoing
     * bytes, as OpenVPN 2.7 flushes OpenSSL's alert before it drops the session, so the peer reports the reason at
     * once instead of waiting out its hand-window. A received alert closes the engine without anything to send.
     */
    private SSLException failed(SSLException e) {
        engine.closeOutbound();
        ByteBuffer none = ByteBuffer.allocate(0);
        for (int i = 0; i < 8 && !engine.isOutboundDone(); i++) {
            try {
                SSLEngineResult r = engine.wrap(none, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = ensure(netOut, engine.getSession().getPacketBufferSize());
                } else if (r.bytesProduced() == 0) {
                    break;
                }
            } catch (SSLException ignored) {
                break; // nothing more to send; the original failure is what counts
            }
        }
        return e;
    }

    /**
     * The description of the alert the peer sent ({@code certificate_unknown}, {@code protocol_version} …) when
     * {@code failure} is JSSE reporting a received alert, else null.
     */
    public static String receivedAlert(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (c instanceof SSLException || c instanceof GeneralSecurityException)) {
                int at = m.indexOf(RECEIVED_FATAL); // JSSE puts "(description) " in front
                if (at >= 0) {
                    return m.substring(at + RECEIVED_FATAL.length()).trim();
                }
                int plain = m.indexOf(PLAINTEXT_ALERT);
                if (plain >= 0) {
                    return m.substring(plain + PLAINTEXT_ALERT.length()).trim();
                }
                if (m.contains("Received close_notify") || m.contains("Received fatal close_notify")) {
                    return "close_notify";
                }
            }
        }
        return null;
    }

    /** Ciphertext produced since the last call, to hand to the reliability layer. */
    public byte[] takeOutgoing() {
        netOut.flip();
        byte[] out = new byte[netOut.remaining()];
        netOut.get(out);
        netOut = netOut.capacity() > SMALL ? ByteBuffer.allocate(SMALL) : netOut.clear();
        return out;
    }

    /** Plaintext records received since the last call. */
    public List<byte[]> takeRecords() {
        if (records.isEmpty()) {
            return List.of();
        }
        List<byte[]> out = List.copyOf(records);
        records.clear();
        return out;
    }

    public boolean handshakeDone() {
        return handshakeDone;
    }

    /**
     * Builds the context for one settings instance. OpenVPN verifies the peer (chain, CRL, verify-x509-name,
     * tls-verify) on every handshake and stock OpenVPN sends no session tickets, so resumption is off: a session
     * timeout above TLS's 7-day ticket lifetime makes JSSE send no NewSessionTicket (TLS 1.3 and 1.2), and every
     * session is invalidated once its handshake is done, which drops it from the context's session cache.
     */
    static SSLContext context(TlsSettings settings) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] keyManagers = settings.key() == null
                ? new KeyManager[0]
                : new KeyManager[] {new FixedKeyManager(settings.chain(), settings.key())};
        TrustManager[] trustManagers = {new OpenvpnTrustManager(settings.trustAnchors(), settings.peer(), settings.revocation())};
        context.init(keyManagers, trustManagers, new SecureRandom());
        context.getServerSessionContext().setSessionTimeout(NO_TICKETS_TIMEOUT_SECONDS);
        context.getClientSessionContext().setSessionTimeout(NO_TICKETS_TIMEOUT_SECONDS);
        return context;
    }

    private void finishHandshake() {
        if (!handshakeDone) {
            handshakeDone = true;
            engine.getSession().invalidate();
        }
    }

    /** RFC 5705 / 8446 exporter with no context, as OpenVPN's EKM uses it. */
    public byte[] exportKeyingMaterial(String label, int length) throws SSLException {
        if (!(engine.getSession() instanceof ExtendedSSLSession session)) {
            throw new SSLException("TLS session does not support keying material export");
        }
        return session.exportKeyingMaterialData(label, null, length);
    }

    public String description() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    public X509Certificate peerCertificate() {
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private void pump() throws SSLException {
        while (true) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return;
                    }
                }
                default -> {
                    finishHandshake();
                    if (!unwrap()) {
                        return;
                    }
                }
            }
        }
    }

    private void wrap(ByteBuffer src) throws SSLException {
        while (true) {
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> netOut = ensure(netOut, engine.getSession().getPacketBufferSize());
                case CLOSED -> throw new SSLException("TLS session closed by peer");
                default -> {
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                        finishHandshake();
                    }
                    return;
                }
            }
        }
    }

    /** Returns false when more input is needed. */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        try {
            if (!netIn.hasRemaining()) {
                return false;
            }
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW:
                    return false;
                case BUFFER_OVERFLOW:
                    appIn = ensure(appIn, engine.getSession().getApplicationBufferSize());
                    return true;
                case CLOSED:
                    throw new SSLException("TLS session closed by peer");
                default:
                    break;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                finishHandshake();
            }
            if (appIn.position() > 0) {
                appIn.flip();
                byte[] record = new byte[appIn.remaining()];
                appIn.get(record);
                appIn = appIn.capacity() > SMALL ? ByteBuffer.allocate(SMALL) : appIn.clear();
                records.add(record);
            }
            return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
        } finally {
            netIn.compact();
            if (netIn.position() == 0 && netIn.capacity() > SMALL) {
                netIn = ByteBuffer.allocate(SMALL);
            }
        }
    }

    private static ByteBuffer ensure(ByteBuffer buf, int extra) {
        if (buf.remaining() >= extra) {
            return buf;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + extra));
        buf.flip();
        bigger.put(buf);
        return bigger;
    }
}
