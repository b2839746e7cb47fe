package io.culvert.engine.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.tls.TestKeys;
import io.culvert.engine.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted keys and PKCS#12 bundles through {@link ClientProfile#from}: askpass first, then the provider's prompt. */
class ClientProfileKeysTest {
    private static final String PASS = "open sesame";
    private static KeyPair caKey;
    private static KeyPair clientKey;
    private static X509Certificate ca;
    private static X509Certificate cert;

    @BeforeAll
    static void pki() throws Exception {
        caKey = TestKeys.ec();
        clientKey = TestKeys.ec();
        ca = TestKeys.certificate(caKey, "CA", caKey, "CA", true);
        cert = TestKeys.certificate(clientKey, "client1", caKey, "CA", false);
    }

    /** Answers passphrase requests with {@code pass}, recording their key names; fails on username prompts. */
    private record Recorder(String pass, List<String> asked) implements CredentialsProvider {
        @Override
        public Optional<UserPass> userPass(String prompt) {
            throw new AssertionError("username prompt: " + prompt);
        }

        @Override
        public Optional<String> privateKeyPassphrase(String keyName) {
            asked.add(keyName);
            return Optional.ofNullable(pass);
        }
    }

    private static Path profile(Path dir, String keyLines) throws Exception {
        Files.writeString(dir.resolve("ca.crt"), TestKeys.pem(ca));
        Files.writeString(dir.resolve("client.crt"), TestKeys.pem(cert));
        return Files.writeString(dir.resolve("client.ovpn"), "client\ndev tun\nremote vpn.example 1194\n" + keyLines);
    }

    private static TlsSettings tls(ClientProfile p) {
        return p.sessionSettings(false).tls();
    }

    @Test
    void asksTheProviderForAnEncryptedKeyPassphrase(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.key"), TestKeys.pkcs8Encrypted(clientKey.getPrivate(), PASS));
        Recorder r = new Recorder(PASS, new ArrayList<>());
        ClientProfile p = ClientProfile.from(ClientConfig.load(profile(dir, "ca ca.crt\ncert client.crt\nkey client.key\n"),
                false), r);
        assertArrayEquals(clientKey.getPrivate().getEncoded(), tls(p).key().getEncoded());
        assertEquals(List.of("client.key"), r.asked());
    }

    @Test
    void askpassFileWinsOverThePrompt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.key"), TestKeys.traditionalEncrypted(clientKey.getPrivate(), PASS, "AES-256-CBC"));
        Files.writeString(dir.resolve("pass.txt"), PASS + "\n");
        Recorder r = new Recorder("never used", new ArrayList<>());
        ClientProfile p = ClientProfile.from(ClientConfig.load(profile(dir,
                "ca ca.crt\ncert client.crt\nkey client.key\naskpass pass.txt\n"), false), r);
        assertEquals(((ECPrivateKey) clientKey.getPrivate()).getS(), ((ECPrivateKey) tls(p).key()).getS());
        assertEquals(List.of(), r.asked());
    }

    /** Issue 11: an askpass file that is not on this machine: the passphrase is asked for, as for a bare askpass. */
    @Test
    void aMissingAskpassFileAsksTheProviderInstead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.key"), TestKeys.pkcs8Encrypted(clientKey.getPrivate(), PASS));
        Recorder r = new Recorder(PASS, new ArrayList<>());
        ClientProfile p = ClientProfile.from(ClientConfig.load(profile(dir,
                "ca ca.crt\ncert client.crt\nkey client.key\naskpass \"C:\\\\Users\\\\me\\\\key-pass.txt\"\n"), false), r);
        assertArrayEquals(clientKey.getPrivate().getEncoded(), tls(p).key().getEncoded());
        assertEquals(List.of("client.key"), r.asked());
    }

    @Test
    void wrongPassphraseIsConfigInvalidAndNamesTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.key"), TestKeys.pkcs8Encrypted(clientKey.getPrivate(), PASS));
        ClientConfig c = ClientConfig.load(profile(dir, "ca ca.crt\ncert client.crt\nkey client.key\n"), false);
        EngineException e = assertThrows(EngineException.class,
                () -> ClientProfile.from(c, new Recorder("guess-123", new ArrayList<>())));
        assertEquals(ErrorKind.CONFIG_INVALID, e.kind());
        assertEquals("CONFIG_INVALID: cannot decrypt the private key in client.key: wrong passphrase", e.getMessage());
        assertFalse(e.getMessage().contains("guess-123"));
        EngineException cancelled = assertThrows(EngineException.class,
                () -> ClientProfile.from(c, new Recorder(null, new ArrayList<>())));
        assertEquals(ErrorKind.CONFIG_INVALID, cancelled.kind());
    }

    @Test
    void pkcs12BundleSuppliesKeyCertAndCa(@TempDir Path dir) throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {cert, ca}, PASS);
        Files.write(dir.resolve("client.p12"), p12);
        Files.writeString(dir.resolve("pass.txt"), PASS);
        ClientProfile p = ClientProfile.from(ClientConfig.load(profile(dir, "pkcs12 client.p12\naskpass pass.txt\n"), false),
                new Recorder(null, new ArrayList<>()));
        assertEquals(List.of(ca), tls(p).trustAnchors());
        assertEquals(List.of(cert), tls(p).chain());
        assertArrayEquals(clientKey.getPrivate().getEncoded(), tls(p).key().getEncoded());
    }

    @Test
    void inlineUnprotectedPkcs12NeedsNoPrompt(@TempDir Path dir) throws Exception {
        byte[] p12 = TestKeys.pkcs12(clientKey.getPrivate(), new Certificate[] {cert, ca}, "");
        Recorder r = new Recorder(null, new ArrayList<>());
        ClientProfile p = ClientProfile.from(ClientConfig.load(profile(dir, "<pkcs12>\n"
                + Base64.getMimeEncoder().encodeToString(p12) + "\n</pkcs12>\n"), false), r);
        assertEquals(List.of(cert), tls(p).chain());
        assertEquals(List.of(), r.asked());
    }

    @Test
    void defaultPassphraseRequestGoesThroughUserPassWithTheOpenvpnPrompt() {
        List<String> prompts = new ArrayList<>();
        CredentialsProvider lambda = prompt -> {
            prompts.add(prompt);
            return Optional.of(new UserPass("", "from-dialog"));
        };
        assertEquals(Optional.of("from-dialog"), lambda.privateKeyPassphrase("client.key"));
        assertEquals(List.of("Enter Private Key Password: (client.key)"), prompts);
        assertEquals(true, CredentialsProvider.isPrivateKeyPrompt(prompts.get(0)));
        assertEquals("client.key", CredentialsProvider.keyNameOf(prompts.get(0)));
        assertFalse(CredentialsProvider.isPrivateKeyPrompt("Enter Auth Username/Password"));
    }
}
