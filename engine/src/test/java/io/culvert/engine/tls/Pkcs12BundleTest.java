package io.culvert.engine.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Pkcs12BundleTest {
    private static KeyPair caKey;
    private static KeyPair clientKey;
    private static X509Certificate ca;
    private static X509Certificate client;

    @BeforeAll
    static void pki() throws Exception {
        caKey = TestKeys.ec();
        clientKey = TestKeys.ec();
        ca = TestKeys.certificate(caKey, "Test CA", caKey, "Test CA", true);
        client = TestKeys.certificate(clientKey, "client1", caKey, "Test CA", false);
    }

    @Test
    void readsProtectedBundleWithThePassphrase() throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {client, ca}, "s3cret");
        List<String> asked = new ArrayList<>();
        Pkcs12Bundle b = Pkcs12Bundle.read(p12, "client.p12", source -> {
            asked.add(source);
            return Optional.of("s3cret".toCharArray());
        });
        assertArrayEquals(clientKey.getPrivate().getEncoded(), b.key().getEncoded());
        assertEquals(client, b.cert());
        assertEquals(List.of(ca), b.others());
        assertEquals(List.of("client.p12"), asked);
    }

    @Test
    void emptyPasswordBundleNeedsNoPrompt() throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {client}, "", ca);
        Pkcs12Bundle b = Pkcs12Bundle.read(p12, "client.p12", source -> {
            throw new AssertionError("asked for " + source);
        });
        assertEquals(client, b.cert());
        assertEquals(List.of(ca), b.others());
    }

    @Test
    void wrongPassphraseIsAClearError() throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {client, ca}, "s3cret");
        IOException e = assertThrows(IOException.class,
                () -> Pkcs12Bundle.read(p12, "client.p12", source -> Optional.of("nope".toCharArray())));
        assertEquals("cannot decrypt the PKCS#12 file client.p12: wrong passphrase", e.getMessage());
        IOException none = assertThrows(IOException.class, () -> Pkcs12Bundle.read(p12, "client.p12", PassphraseSource.none()));
        assertTrue(none.getMessage().startsWith("the PKCS#12 file client.p12 is password protected"), none.getMessage());
    }

    @Test
    void tinyFileClaimingAHugeLengthIsRefusedWithoutAllocatingIt() throws Exception {
        // Found by PkiFuzz: 12 bytes whose inner ASN.1 length claims 0x2d2d2d2d (757 MB) made BouncyCastle's PKCS#12
        // loader allocate that much (OutOfMemoryError under the fuzzer's 1 GiB heap) after the JDK's loader refused it.
        byte[] hostile = {0x30, (byte) 0x80, (byte) 0x8a, (byte) 0x84, 0x2d, 0x2d, 0x2d, 0x2d, 0x10, 0, 0, 0};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class, () -> Pkcs12Bundle.read(hostile, "x.p12", PassphraseSource.none()));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().startsWith("cannot read the PKCS#12 file x.p12"), e.getMessage());
        assertTrue(allocated < 64L << 20, "reading 12 bytes allocated " + (allocated >> 20) + " MiB");
    }

    @Test
    void garbageIsNotABundle() {
        IOException e = assertThrows(IOException.class,
                () -> Pkcs12Bundle.read(new byte[] {0x30, 0x03, 1, 2, 3}, "x.p12", PassphraseSource.none()));
        assertTrue(e.getMessage().startsWith("cannot read the PKCS#12 file x.p12"), e.getMessage());
    }

    @Test
    void identityTakesCaFromTheBundleUnlessCaIsGiven() throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {client, ca}, "");
        OwnIdentity fromBundle = OwnIdentity.load(
                new OwnIdentity.Source(null, null, null, null, null, p12, "client.p12"), PassphraseSource.none());
        assertEquals(List.of(ca), fromBundle.ca());
        assertEquals(List.of(client), fromBundle.chain());
        KeyPair otherCaKey = TestKeys.ec();
        X509Certificate otherCa = TestKeys.certificate(otherCaKey, "Other CA", otherCaKey, "Other CA", true);
        OwnIdentity withCa = OwnIdentity.load(new OwnIdentity.Source(TestKeys.pem(otherCa), null, null, null, null, p12,
                "client.p12"), PassphraseSource.none());
        assertEquals(List.of(otherCa), withCa.ca());
        assertEquals(List.of(client, ca), withCa.chain());
    }

    @Test
    void identityWithoutAnyCaIsRejected() throws Exception {
        KeyPair lone = TestKeys.ec();
        byte[] selfSigned = TestKeys.pkcs12(lone.getPrivate(),
                new Certificate[] {TestKeys.certificate(lone, "lone", lone, "lone", false)}, "");
        IOException e = assertThrows(IOException.class, () -> OwnIdentity.load(
                new OwnIdentity.Source(null, null, null, null, null, selfSigned, "lone.p12"), PassphraseSource.none()));
        assertTrue(e.getMessage().startsWith("no CA certificate"), e.getMessage());
    }
}
