package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.DhcpOption;
import io.culvert.engine.config.ClientConfig.PullFilter;
import io.culvert.engine.config.ClientConfig.RedirectGateway;
import io.culvert.engine.config.ClientConfig.Remote;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ClientConfig.VerifyX509Name;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Mutable accumulator for {@link ClientConfig}, pre-set to OpenVPN 2.6 client defaults. Not thread-safe. */
final class ClientConfigBuilder {
    List<Remote> remotes = new ArrayList<>();
    boolean remoteRandom;
    int connectRetrySeconds = 1;
    int connectRetryMaxSeconds = 300;
    int connectRetryMax;
    int connectTimeoutSeconds = 120;
    int resolvRetrySeconds = -1;
    boolean nobind;
    Integer lport;
    String localAddress;
    DevType devType;
    String devName;
    String caPem;
    String certPem;
    String keyPem;
    String extraCertsPem;
    String keyName;
    String pkcs12;
    String pkcs12Name;
    String askpass;
    String tlsAuthKey;
    Integer keyDirection;
    String tlsCryptKey;
    String tlsCryptV2Key;
    String remoteCertTls;
    VerifyX509Name verifyX509Name;
    String auth = "SHA1";
    String cipher;
    List<String> dataCiphers = ClientConfig.DEFAULT_DATA_CIPHERS;
    String dataCiphersFallback;
    AuthUserPass authUserPass;
    boolean pull;
    boolean tlsClient;
    int ping;
    int pingRestart;
    int pingExit;
    int renegSec = 3600;
    long renegBytes = -1;
    long renegPkts;
    int handWindow = 60;
    int tranWindow = 3600;
    int tlsTimeout = 2;
    int replayWindow = 64;
    int replayWindowSeconds = 15;
    int tunMtu = 1500;
    io.culvert.engine.common.Mssfix mssfix;
    int explicitExitNotify;
    String compLzo;
    String compress;
    /** Null until set: then "asym" when the profile configures real compression (as 2.6 does), else "no". */
    String allowCompression;
    boolean routeNopull;
    List<Route> routes = new ArrayList<>();
    RedirectGateway redirectGateway;
    List<PullFilter> pullFilters = new ArrayList<>();
    List<DhcpOption> dhcpOptions = new ArrayList<>();
    String tlsVersionMin;
    String tlsVersionMax;
    String tlsCipher;
    String tlsCiphersuites;
    int verb = 1;
    String management;
    boolean managementHold;
    int managementLogCache = ManagementOptions.DEFAULT_LOG_CACHE;
    Set<String> ignored = new LinkedHashSet<>();
    List<String> warnings = new ArrayList<>();
    final DnsOptionsParser dns = DnsOptions.builder(false);
    DnsOptions dnsOptions = DnsOptions.EMPTY;
    int routeMetric;
    int inactiveSeconds;
    long inactiveBytes;
    String statusFile;
    int statusSeconds = ClientConfig.DEFAULT_STATUS_SECONDS;
    RouteExecution routeExecution = RouteExecution.DEFAULT;

    /** The config; {@code localPort} is the resolved bind port (0 = any). */
    ClientConfig build(int localPort) {
        return new ClientConfig(remotes, remoteRandom, connectRetrySeconds, connectRetryMaxSeconds, connectRetryMax,
                connectTimeoutSeconds, resolvRetrySeconds, nobind, localPort, localAddress, devType, devName,
                caPem, certPem, keyPem, extraCertsPem, new KeySource(keyName, pkcs12, pkcs12Name, askpass), tlsAuthKey, keyDirection, tlsCryptKey, tlsCryptV2Key, remoteCertTls,
                verifyX509Name, auth, cipher, dataCiphers, dataCiphersFallback, authUserPass, pull, tlsClient,
                ping, pingRestart, pingExit, renegSec, renegBytes, renegPkts, handWindow, tranWindow, tlsTimeout,
                replayWindow, replayWindowSeconds, tunMtu, mssfix, explicitExitNotify, compLzo, compress,
                allowCompression, routeNopull, routes, redirectGateway, pullFilters, dhcpOptions,
                tlsVersionMin, tlsVersionMax, tlsCipher, tlsCiphersuites, verb, management,
                new ManagementOptions(managementHold, managementLogCache),
                List.copyOf(ignored), warnings, dnsOptions, routeMetric, inactiveSeconds, inactiveBytes,
                statusFile, statusSeconds, routeExecution);
    }
}
