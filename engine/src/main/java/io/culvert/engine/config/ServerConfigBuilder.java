package io.culvert.engine.config;

import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.IpFamily;
import io.culvert.engine.config.ClientConfig.Proto;
import io.culvert.engine.config.ClientConfig.Route;
import io.culvert.engine.config.ServerConfig.Addressing;
import io.culvert.engine.config.ServerConfig.Ipv4Pool;
import io.culvert.engine.config.ServerConfig.Ipv6Pool;
import io.culvert.engine.config.ServerConfig.PoolPersist;
import io.culvert.engine.config.ServerConfig.Topology;
import io.culvert.engine.config.ServerConfig.VerifyClientCert;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Mutable accumulator for {@link ServerConfig}, pre-set to OpenVPN 2.6 server defaults. Not thread-safe. */
final class ServerConfigBuilder {
    Proto proto = Proto.UDP;
    IpFamily family = IpFamily.ANY;
    int port = ClientConfig.DEFAULT_PORT;
    String local;
    DevType devType;
    String devName;
    Topology topology = Topology.NET30;
    Addressing addressing;
    String ifconfigLocal;
    String ifconfigRemoteNetmask;
    String ifconfigIpv6Local;
    int ifconfigIpv6Bits;
    String ifconfigIpv6Remote;
    Ipv4Pool ipv4Pool;
    Ipv6Pool ipv6Pool;
    PoolPersist poolPersist;
    String clientConfigDir;
    boolean ccdExclusive;
    List<String> pushes = new ArrayList<>();
    List<Route> routes = new ArrayList<>();
    List<Route> ipv6Routes = new ArrayList<>();
    boolean clientToClient;
    boolean duplicateCn;
    int maxClients = ServerConfig.DEFAULT_MAX_CLIENTS;
    int maxRoutesPerClient = ServerConfig.DEFAULT_MAX_ROUTES_PER_CLIENT;
    int ping;
    int pingRestart;
    String caPem;
    String certPem;
    String keyPem;
    String extraCertsPem;
    String keyName;
    String pkcs12;
    String pkcs12Name;
    String askpass;
    String crlPem;
    String crlDir;
    String crlFile;
    String dhFile;
    String tlsAuthKey;
    Integer keyDirection;
    String tlsCryptKey;
    String tlsCryptV2Key;
    int tlsCryptV2MaxAge;
    String auth = "SHA1";
    String cipher;
    List<String> dataCiphers = ClientConfig.DEFAULT_DATA_CIPHERS;
    String dataCiphersFallback;
    int tunMtu = 1500;
    io.culvert.engine.common.Mssfix mssfix;
    int explicitExitNotify;
    int renegSec = 3600;
    int handWindow = 60;
    int tlsTimeout = 2;
    VerifyClientCert verifyClientCert = VerifyClientCert.REQUIRE;
    String remoteCertTls;
    boolean usernameAsCommonName;
    List<String> authUserPassVerify = List.of();
    boolean authUserPassOptional;
    String tmpDir;
    String clientConnect;
    String clientDisconnect;
    int scriptSecurity = 1;
    String management;
    boolean managementHold;
    int managementLogCache = ManagementOptions.DEFAULT_LOG_CACHE;
    String statusFile;
    int statusSeconds = 60;
    int verb = 1;
    List<String> learnAddress = List.of();
    String compLzo;
    String compress;
    /** Null until set: then "asym" when the config configures real compression (as 2.6 does), else "no". */
    String allowCompression;
    Set<String> ignored = new LinkedHashSet<>();
    List<String> warnings = new ArrayList<>();

    ServerConfig build() {
        return new ServerConfig(proto, family, port, local, devType, devName, topology, addressing,
                ifconfigLocal, ifconfigRemoteNetmask, ifconfigIpv6Local, ifconfigIpv6Bits, ifconfigIpv6Remote,
                ipv4Pool, ipv6Pool, poolPersist, clientConfigDir, ccdExclusive, pushes, routes, ipv6Routes,
                clientToClient, duplicateCn, maxClients, maxRoutesPerClient, ping, pingRestart,
                caPem, certPem, keyPem, extraCertsPem, new KeySource(keyName, pkcs12, pkcs12Name, askpass), crlPem, crlDir, crlFile, dhFile, tlsAuthKey, keyDirection, tlsCryptKey,
                tlsCryptV2Key == null ? null : new ServerConfig.TlsCryptV2Server(tlsCryptV2Key, tlsCryptV2MaxAge),
                auth, cipher, dataCiphers, dataCiphersFallback, tunMtu, mssfix, explicitExitNotify,
                renegSec, handWindow, tlsTimeout, verifyClientCert, remoteCertTls, usernameAsCommonName,
                authUserPassVerify, authUserPassOptional, tmpDir,
                clientConnect, clientDisconnect, scriptSecurity, management,
                new ManagementOptions(managementHold, managementLogCache), statusFile, statusSeconds, verb, learnAddress,
                compLzo, compress, allowCompression, List.copyOf(ignored), warnings);
    }
}
