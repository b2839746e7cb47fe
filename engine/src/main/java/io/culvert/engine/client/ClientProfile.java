package io.culvert.engine.client;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.DataOptions;
import io.culvert.engine.config.Keepalive;
import io.culvert.engine.config.KeySource;
import io.culvert.engine.config.TlsKeys;
import io.culvert.engine.config.TlsTimers;
import io.culvert.engine.config.WrapKeys;
import io.culvert.engine.config.ProxyConfig;
import io.culvert.engine.config.WebSocketRemote;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.tls.HashedCaDir;
import io.culvert.engine.tls.OwnIdentity;
import io.culvert.engine.tls.PassphraseSource;
import io.culvert.engine.tls.PeerVerification;
import io.culvert.engine.tls.Revocation;
import io.culvert.engine.tls.TlsSettings;
import io.culvert.engine.protocol.AllowCompression;
import io.culvert.engine.protocol.CompressionFraming;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed client profile resolved into what the runner needs: remotes, device settings, loaded keys and
 * certificates, and credentials. Loading happens once, so a bad key fails before any packet is sent.
 * Instances are immutable.
 */
public final class ClientProfile {
    /** One server to try, and the proxy in front of it (null for none). */
    public record Remote(String host, int port, boolean tcp, ProxyConfig proxy, WebSocketRemote webSocket) {
        public Remote(String host, int port, boolean tcp, ProxyConfig proxy) {
            this(host, port, tcp, proxy, null);
        }

        public Remote(String host, int port, boolean tcp) {
            this(host, port, tcp, null);
        }

        @Override
        public String toString() {
            String via = switch (proxy) {
                case null -> "";
                case ProxyConfig.Http h -> " via HTTP proxy " + h.host() + ":" + h.port();
                case ProxyConfig.Socks x -> " via SOCKS proxy " + x.host() + ":" + x.port();
            };
            return (webSocket != null ? webSocket.url() : host + ":" + port + "/" + (tcp ? "tcp" : "udp")) + via;
        }
    }

    private final ClientConfig config;
    private final List<Remote> remotes;
    private final TlsSettings tls;

    /** The profile's own certificate and key for a {@code wss} proxy that asks for one (ADR 0050), or null. */
    javax.net.ssl.X509ExtendedKeyManager proxyKeyManager() {
        return tls.keyManager();
    }
    private final ControlWrapSpec wrap;
    private final List<String> dataCiphers;
    private final String fallbackCipher;
    private final UserPass credentials;
    private final CredentialsProvider prompt;

    private ClientProfile(ClientConfig config, List<Remote> remotes, TlsSettings tls, ControlWrapSpec wrap,
            List<String> dataCiphers, String fallbackCipher, UserPass credentials, CredentialsProvider prompt) {
        this.prompt = prompt;
        this.config = config;
        this.remotes = remotes;
        this.tls = tls;
        this.wrap = wrap;
        this.dataCiphers = dataCiphers;
        this.fallbackCipher = fallbackCipher;
        this.credentials = credentials;
    }

    public static ClientProfile from(ClientConfig c, CredentialsProvider prompt) throws EngineException {
        List<Remote> remotes = new ArrayList<>();
        for (ClientConfig.Remote r : c.transport().remotes()) {
            remotes.add(new Remote(r.host(), r.port(), r.proto() == ClientConfig.Proto.TCP, r.proxy(), r.webSocket()));
        }
        if (c.transport().remoteRandom()) {
            java.util.Collections.shuffle(remotes);
        }
        TlsSettings tls;
        try {
            HashedCaDir caPath = c.keys().caPath() == null ? null : HashedCaDir.load(Path.of(c.keys().caPath()));
            OwnIdentity id = OwnIdentity.load(identitySource(c), passphrase(c.keys().keySource(), prompt),
                    caPath == null ? List.of() : caPath.cas());
            ClientConfig.VerifyX509Name v = c.tls().verifyX509Name();
            PeerVerification peer =
                    new PeerVerification(c.tls().remoteCertTls(), c.tls().nsCertType(), v == null ? null : v.name(), v == null ? null : v.type());
            tls = TlsSettings.forClient().trustAnchors(id.ca()).identity(id.chain(), id.key()).peer(peer)
                    .versions(c.tls().versionMin(), c.tls().versionMax())
                    .revocation(caPath == null ? Revocation.none() : caPath).build();
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        ControlWrapSpec wrap;
        WrapKeys w = c.wrap();
        try {
            if (w.tlsCryptKey() != null) {
                wrap = ControlWrapSpec.tlsCrypt(StaticKey.parse(w.tlsCryptKey()));
            } else if (w.tlsCryptV2Key() != null) {
                wrap = ControlWrapSpec.tlsCryptV2Client(TlsCryptV2ClientKey.parse(w.tlsCryptV2Key()));
            } else if (w.tlsAuthKey() != null) {
                KeyDirection dir = KeyDirection.fromConfig(w.keyDirection() == null ? null : w.keyDirection().toString());
                wrap = ControlWrapSpec.tlsAuth(StaticKey.parse(w.tlsAuthKey()), dir, c.dataChannel().auth());
            } else {
                wrap = ControlWrapSpec.none();
            }
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "tls-auth/tls-crypt/tls-crypt-v2 key: " + e.getMessage(), e);
        }
        DataOptions data = c.dataChannel();
        List<String> ciphers = data.dataCiphers().stream()
                .map(DataCipher::byName).flatMap(Optional::stream).map(DataCipher::openvpnName).distinct().toList();
        if (ciphers.isEmpty()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "none of data-ciphers " + data.dataCiphers() + " is supported");
        }
        String fallback = data.dataCiphersFallback() != null ? data.dataCiphersFallback()
                : data.cipher() != null && !data.cipher().equalsIgnoreCase("BF-CBC") ? data.cipher() : null;
        UserPass credentials = null;
        if (c.authUserPass() != null) {
            ClientConfig.AuthUserPass a = c.authUserPass();
            if (a.username() != null && a.password() != null) {
                credentials = new UserPass(a.username(), a.password());
            } else {
                credentials = prompt.userPass("Enter Auth Username/Password")
                        .orElseThrow(() -> new EngineException(ErrorKind.AUTH_FAILED, "no credentials given"));
            }
        }
        return new ClientProfile(c, List.copyOf(remotes), tls, wrap, ciphers, fallback, credentials, prompt);
    }

    /** The PEM and PKCS#12 material of {@code c}. */
    static OwnIdentity.Source identitySource(ClientConfig c) {
        TlsKeys keys = c.keys();
        KeySource k = keys.keySource();
        return new OwnIdentity.Source(keys.caPem(), keys.certPem(), keys.extraCertsPem(), keys.keyPem(), k.keyName(),
                k.pkcs12(), k.pkcs12Name());
    }

    /** OpenVPN's order: the first line of the {@code askpass} file, else the user through {@code prompt}. */
    static PassphraseSource passphrase(KeySource k, CredentialsProvider prompt) {
        if (k.askpassFile() != null) {
            return PassphraseSource.firstLineOf(Path.of(k.askpassFile()));
        }
        return keyName -> prompt.privateKeyPassphrase(keyName).map(String::toCharArray);
    }

    /** Asks the user for what the profile leaves open; proxy credentials are asked only when a proxy wants them. */
    CredentialsProvider prompt() {
        return prompt;
    }

    public List<Remote> remotes() {
        return remotes;
    }

    public String devName() {
        return config.device().name();
    }

    /** {@code culvert-kill-switch}: off, on, or on with the local networks allowed. */
    public io.culvert.engine.config.KillSwitch killSwitch() {
        return config.routing().killSwitch();
    }

    public boolean tap() {
        return config.device().isTap();
    }

    public int tunMtu() {
        return config.device().tunMtu();
    }

    public int connectRetrySeconds() {
        return Math.max(1, config.transport().connectRetrySeconds());
    }

    public int connectRetryMaxSeconds() {
        return Math.max(connectRetrySeconds(), config.transport().connectRetryMaxSeconds());
    }

    public int connectRetryMax() {
        return config.transport().connectRetryMax();
    }

    /** {@code connect-timeout} / {@code server-poll-timeout} seconds (OpenVPN's default 120). */
    public int connectTimeoutSeconds() {
        return config.transport().connectTimeoutSeconds();
    }

    /** {@code allow-recursive-routing}. */
    public boolean allowRecursiveRouting() {
        return config.routing().allowRecursiveRouting();
    }

    /** {@code bind-dev}: the device (or VRF) the link socket is bound to, or null. */
    public String bindDev() {
        return config.transport().bindDev();
    }

    /** {@code shaper} bytes a second; 0 = none. */
    public int shaper() {
        return config.transport().shaper();
    }

    /** {@code session-timeout} seconds; 0 = none. */
    public int sessionTimeoutSeconds() {
        return config.keepalive().sessionTimeout();
    }

    /** Local address to bind, or null for an ephemeral port. */
    public InetSocketAddress localBind() {
        if (config.transport().nobind() || (config.transport().lport() == 0 && config.transport().localAddress() == null)) {
            return null;
        }
        return config.transport().localAddress() == null ? new InetSocketAddress(config.transport().lport())
                : new InetSocketAddress(config.transport().localAddress(), config.transport().lport());
    }

    /** The profile's own routes, route-metric and DNS settings, merged with the push when the tunnel comes up. */
    public ProfileNetwork network() {
        return ProfileNetwork.from(config);
    }

    SessionSettings sessionSettings(boolean tcp) {
        DataOptions data = config.dataChannel();
        Keepalive alive = config.keepalive();
        TlsTimers timers = config.tlsTimers();
        WrapKeys w = config.wrap();
        boolean compLzo = data.compLzo() != null || data.compress() != null;
        List<List<String>> filters = config.routing().pullFilters().stream().map(f -> List.of(f.action(), f.text())).toList();
        return SessionSettings.builder(tls).tcp(tcp).tap(tap()).wrap(wrap)
                .dataCiphers(dataCiphers).fallbackCipher(fallbackCipher).auth(data.auth()).credentials(credentials)
                .keepalive(alive.ping(), alive.pingRestart()).explicitExitNotify(alive.explicitExitNotify())
                .inactivity(alive.inactiveSeconds(), alive.inactiveBytes())
                .renegSec(timers.renegSec()).handWindow(timers.handWindow()).tlsTimeout(timers.tlsTimeout())
                .tunMtu(config.device().tunMtu()).mssfix(config.device().mssfix())
                .compLzo(compLzo).keyDirection(w.tlsAuthKey() != null ? w.keyDirection() : null)
                .tlsAuth(w.tlsAuthKey() != null && w.tlsCryptKey() == null)
                .pullFilters(filters).routeNopull(config.routing().routeNopull()).configuredFraming(configuredFraming())
                .build()
                .withCompression(AllowCompression.parse(data.allowCompression()),
                        data.compress() == null || !data.compress().startsWith("stub"));
    }

    /**
     * The framing the profile's own comp-lzo/compress line sets up before (or without) a push, as stock 2.6 does:
     * decompressing under allow-compression asym|yes, framing only under no.
     */
    private CompressionFraming configuredFraming() {
        List<String> words;
        DataOptions data = config.dataChannel();
        if (data.compress() != null) {
            words = data.compress().isEmpty() || data.compress().equals("stub") ? List.of("compress")
                    : List.of("compress", data.compress());
        } else if (data.compLzo() != null) {
            words = data.compLzo().isEmpty() ? List.of("comp-lzo") : List.of("comp-lzo", data.compLzo());
        } else {
            return CompressionFraming.NONE;
        }
        AllowCompression allow = AllowCompression.parse(data.allowCompression());
        return CompressionFraming.fromPushed(words, allow).orElseGet(() -> switch (words.getFirst()) {
            case "comp-lzo" -> CompressionFraming.LZO_STUB;
            default -> words.size() > 1 && words.get(1).equals("lz4-v2") ? CompressionFraming.V2_STUB : CompressionFraming.SWAP_STUB;
        });
    }
}
