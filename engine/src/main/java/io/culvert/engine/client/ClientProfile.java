package io.culvert.engine.client;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.KeySource;
import io.culvert.engine.config.ProxyConfig;
import io.culvert.engine.crypto.ControlWrapSpec;
import io.culvert.engine.crypto.DataCipher;
import io.culvert.engine.crypto.KeyDirection;
import io.culvert.engine.crypto.StaticKey;
import io.culvert.engine.crypto.TlsCryptV2ClientKey;
import io.culvert.engine.tls.OwnIdentity;
import io.culvert.engine.tls.PassphraseSource;
import io.culvert.engine.tls.PeerVerification;
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
    public record Remote(String host, int port, boolean tcp, ProxyConfig proxy) {
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
            return host + ":" + port + "/" + (tcp ? "tcp" : "udp") + via;
        }
    }

    private final ClientConfig config;
    private final List<Remote> remotes;
    private final TlsSettings tls;
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
        for (ClientConfig.Remote r : c.remotes()) {
            remotes.add(new Remote(r.host(), r.port(), r.proto() == ClientConfig.Proto.TCP, r.proxy()));
        }
        if (c.remoteRandom()) {
            java.util.Collections.shuffle(remotes);
        }
        TlsSettings tls;
        try {
            OwnIdentity id = OwnIdentity.load(identitySource(c), passphrase(c.keySource(), prompt));
            ClientConfig.VerifyX509Name v = c.verifyX509Name();
            PeerVerification peer = new PeerVerification(c.remoteCertTls(), v == null ? null : v.name(), v == null ? null : v.type());
            tls = new TlsSettings(true, id.ca(), id.chain(), id.key(), peer, c.tlsVersionMin(), c.tlsVersionMax());
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        ControlWrapSpec wrap;
        try {
            if (c.tlsCryptKey() != null) {
                wrap = ControlWrapSpec.tlsCrypt(StaticKey.parse(c.tlsCryptKey()));
            } else if (c.tlsCryptV2Key() != null) {
                wrap = ControlWrapSpec.tlsCryptV2Client(TlsCryptV2ClientKey.parse(c.tlsCryptV2Key()));
            } else if (c.tlsAuthKey() != null) {
                KeyDirection dir = KeyDirection.fromConfig(c.keyDirection() == null ? null : c.keyDirection().toString());
                wrap = ControlWrapSpec.tlsAuth(StaticKey.parse(c.tlsAuthKey()), dir, c.auth());
            } else {
                wrap = ControlWrapSpec.none();
            }
        } catch (IllegalArgumentException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "tls-auth/tls-crypt/tls-crypt-v2 key: " + e.getMessage(), e);
        }
        List<String> ciphers = c.dataCiphers().stream()
                .map(DataCipher::byName).flatMap(Optional::stream).map(DataCipher::openvpnName).distinct().toList();
        if (ciphers.isEmpty()) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "none of data-ciphers " + c.dataCiphers() + " is supported");
        }
        String fallback = c.dataCiphersFallback() != null ? c.dataCiphersFallback()
                : c.cipher() != null && !c.cipher().equalsIgnoreCase("BF-CBC") ? c.cipher() : null;
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
        KeySource k = c.keySource();
        return new OwnIdentity.Source(c.caPem(), c.certPem(), c.extraCertsPem(), c.keyPem(), k.keyName(), k.pkcs12(),
                k.pkcs12Name());
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
        return config.devName();
    }

    public boolean tap() {
        return config.devType() == ClientConfig.DevType.TAP;
    }

    public int tunMtu() {
        return config.tunMtu();
    }

    public int connectRetrySeconds() {
        return Math.max(1, config.connectRetrySeconds());
    }

    public int connectRetryMaxSeconds() {
        return Math.max(connectRetrySeconds(), config.connectRetryMaxSeconds());
    }

    public int connectRetryMax() {
        return config.connectRetryMax();
    }

    /** Local address to bind, or null for an ephemeral port. */
    public InetSocketAddress localBind() {
        if (config.nobind() || (config.lport() == 0 && config.localAddress() == null)) {
            return null;
        }
        return config.localAddress() == null ? new InetSocketAddress(config.lport())
                : new InetSocketAddress(config.localAddress(), config.lport());
    }

    /** The profile's own routes, route-metric and DNS settings, merged with the push when the tunnel comes up. */
    public ProfileNetwork network() {
        return ProfileNetwork.from(config);
    }

    SessionSettings sessionSettings(boolean tcp) {
        boolean compLzo = config.compLzo() != null || config.compress() != null;
        List<List<String>> filters = config.pullFilters().stream().map(f -> List.of(f.action(), f.text())).toList();
        return new SessionSettings(tcp, tap(), tls, wrap, dataCiphers, fallbackCipher, config.auth(), credentials,
                config.ping(), config.pingRestart(), config.renegSec(), config.handWindow(), config.tlsTimeout(),
                config.tunMtu(), config.mssfix(), config.explicitExitNotify(), compLzo,
                config.tlsAuthKey() != null ? config.keyDirection() : null, config.tlsAuthKey() != null && config.tlsCryptKey() == null,
                filters, config.routeNopull()).withInactivity(config.inactiveSeconds(), config.inactiveBytes())
                .withCompression(AllowCompression.parse(config.allowCompression()),
                        config.compress() == null || !config.compress().startsWith("stub"))
                .withFraming(configuredFraming());
    }

    /**
     * The framing the profile's own comp-lzo/compress line sets up before (or without) a push, as stock 2.6 does:
     * decompressing under allow-compression asym|yes, framing only under no.
     */
    private CompressionFraming configuredFraming() {
        List<String> words;
        if (config.compress() != null) {
            words = config.compress().isEmpty() || config.compress().equals("stub") ? List.of("compress")
                    : List.of("compress", config.compress());
        } else if (config.compLzo() != null) {
            words = config.compLzo().isEmpty() ? List.of("comp-lzo") : List.of("comp-lzo", config.compLzo());
        } else {
            return CompressionFraming.NONE;
        }
        AllowCompression allow = AllowCompression.parse(config.allowCompression());
        return CompressionFraming.fromPushed(words, allow).orElseGet(() -> switch (words.getFirst()) {
            case "comp-lzo" -> CompressionFraming.LZO_STUB;
            default -> words.size() > 1 && words.get(1).equals("lz4-v2") ? CompressionFraming.V2_STUB : CompressionFraming.SWAP_STUB;
        });
    }
}
