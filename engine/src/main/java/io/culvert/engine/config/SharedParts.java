package io.culvert.engine.config;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.ClientConfig.DevType;
import io.culvert.engine.config.ClientConfig.VerifyX509Name;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Mutable accumulator for the parts both roles share ({@link Device}, {@link TlsKeys}, {@link WrapKeys},
 * {@link TlsPolicy}, {@link TlsTimers}, {@link DataOptions}, {@link Keepalive}, {@link Monitoring}) and for the
 * ignored directives and warnings, starting from each part's {@code DEFAULTS}. Not thread-safe.
 */
final class SharedParts {
    DevType devType;
    String devName;
    int tunMtu = Device.DEFAULTS.tunMtu();
    Mssfix mssfix = Device.DEFAULTS.mssfix();

    String caPem;
    String caPath;
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
    int tlsCryptV2MaxAge = WrapKeys.NONE.tlsCryptV2MaxAgeDays();

    String remoteCertTls;
    String nsCertType;
    VerifyX509Name verifyX509Name;
    String tlsVersionMin;
    String tlsVersionMax;
    String tlsCipher;
    String tlsCiphersuites;

    int renegSec = TlsTimers.DEFAULTS.renegSec();
    long renegBytes = TlsTimers.DEFAULTS.renegBytes();
    long renegPkts = TlsTimers.DEFAULTS.renegPkts();
    int handWindow = TlsTimers.DEFAULTS.handWindow();
    int tranWindow = TlsTimers.DEFAULTS.tranWindow();
    int tlsTimeout = TlsTimers.DEFAULTS.tlsTimeout();

    String auth = DataOptions.DEFAULTS.auth();
    String cipher = DataOptions.DEFAULTS.cipher();
    List<String> dataCiphers = DataOptions.DEFAULTS.dataCiphers();
    String dataCiphersFallback = DataOptions.DEFAULTS.dataCiphersFallback();
    String compLzo;
    String compress;
    /** Null until set or resolved by {@link SharedDirectiveReader#finishCompression}. */
    String allowCompression;
    int replayWindow = DataOptions.DEFAULTS.replayWindow();
    int replayWindowSeconds = DataOptions.DEFAULTS.replayWindowSeconds();

    int ping = Keepalive.DEFAULTS.ping();
    int pingRestart = Keepalive.DEFAULTS.pingRestart();
    int pingExit = Keepalive.DEFAULTS.pingExit();
    int inactiveSeconds = Keepalive.DEFAULTS.inactiveSeconds();
    long inactiveBytes = Keepalive.DEFAULTS.inactiveBytes();
    int explicitExitNotify = Keepalive.DEFAULTS.explicitExitNotify();
    int sessionTimeout = Keepalive.DEFAULTS.sessionTimeout();

    int verb = Monitoring.DEFAULTS.verb();
    String management = Monitoring.DEFAULTS.management();
    boolean managementHold = Monitoring.DEFAULTS.managementOptions().hold();
    int managementLogCache = Monitoring.DEFAULTS.managementOptions().logCache();
    String statusFile = Monitoring.DEFAULTS.statusFile();
    int statusSeconds = Monitoring.DEFAULTS.statusSeconds();

    final Set<String> ignored = new LinkedHashSet<>();
    final List<String> warnings = new ArrayList<>();

    Device device() {
        return new Device(devType, devName, tunMtu, mssfix);
    }

    TlsKeys keys() {
        return new TlsKeys(caPem, certPem, keyPem, extraCertsPem, new KeySource(keyName, pkcs12, pkcs12Name, askpass),
                caPath);
    }

    WrapKeys wrap() {
        return new WrapKeys(tlsAuthKey, keyDirection, tlsCryptKey, tlsCryptV2Key, tlsCryptV2Key == null ? 0 : tlsCryptV2MaxAge);
    }

    TlsPolicy tls() {
        return new TlsPolicy(remoteCertTls, nsCertType, verifyX509Name, tlsVersionMin, tlsVersionMax, tlsCipher, tlsCiphersuites);
    }

    TlsTimers tlsTimers() {
        return new TlsTimers(renegSec, renegBytes, renegPkts, handWindow, tranWindow, tlsTimeout);
    }

    DataOptions dataOptions() {
        return new DataOptions(auth, cipher, dataCiphers, dataCiphersFallback, compLzo, compress, allowCompression,
                replayWindow, replayWindowSeconds);
    }

    Keepalive keepalive() {
        return new Keepalive(ping, pingRestart, pingExit, inactiveSeconds, inactiveBytes, explicitExitNotify,
                sessionTimeout);
    }

    Monitoring monitoring() {
        return new Monitoring(verb, management, new ManagementOptions(managementHold, managementLogCache), statusFile,
                statusSeconds);
    }
}
