package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.api.Profiles;
import io.culvert.engine.api.SavedLogin;
import io.culvert.engine.api.UserPass;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which dialog answers which engine prompt: the VPN login, a key passphrase, or a proxy's own login. */
class LoginFlowTest {
    private final List<Login.Request> asked = new ArrayList<>();
    private final List<String> passphrases = new ArrayList<>();

    private final ClientViewModel.LoginPrompter prompter = new ClientViewModel.LoginPrompter() {
        @Override
        public CompletableFuture<Optional<Login.Answer>> ask(Login.Request request) {
            asked.add(request);
            return CompletableFuture.completedFuture(Optional.of(new Login.Answer("proxyuser", "proxypass", "", true)));
        }

        @Override
        public CompletableFuture<Optional<String>> askPassphrase(String profile, String keyName) {
            passphrases.add(keyName);
            return CompletableFuture.completedFuture(Optional.of("pass phrase"));
        }
    };

    /** A store whose only answer is a saved VPN login for "office". */
    private static Profiles store() {
        return (Profiles) Proxy.newProxyInstance(Profiles.class.getClassLoader(), new Class<?>[] {Profiles.class}, (p, m, args) -> {
            if (m.getName().equals("savedLogin")) {
                return Optional.of(new SavedLogin("alice", "wonderland", false));
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private LoginFlow flow() {
        ProfileSummary office = new ProfileSummary("office", List.of("vpn.example.com 1194"), true, null, false, false,
                Instant.EPOCH, Instant.EPOCH, null);
        return new LoginFlow(store(), office, false, false, Runnable::run, prompter);
    }

    @Test
    void theVpnPromptUsesTheSavedLogin() {
        assertEquals(Optional.of(new UserPass("alice", "wonderland")), flow().userPass("Enter Auth Username/Password"));
        assertTrue(asked.isEmpty(), "no dialog when the login is saved");
    }

    @Test
    void aProxyPromptGetsItsOwnDialogAndNeverTheSavedVpnLogin() {
        assertTrue(CredentialsProvider.isProxyPrompt("Enter HTTP Proxy Username/Password"));
        assertTrue(CredentialsProvider.isProxyPrompt("Enter SOCKS Proxy Username/Password"));
        assertFalse(CredentialsProvider.isProxyPrompt("Enter Auth Username/Password"));

        Optional<UserPass> answer = flow().userPass("Enter HTTP Proxy Username/Password");
        assertEquals(Optional.of(new UserPass("proxyuser", "proxypass")), answer);
        assertEquals(1, asked.size());
        assertTrue(asked.getFirst().profile().contains("HTTP Proxy"), asked.getFirst().toString());
        assertEquals("", asked.getFirst().username(), "the VPN username is not offered to the proxy");
        assertFalse(asked.getFirst().keyring(), "a proxy password is never offered for saving");
    }

    @Test
    void aPassphrasePromptThroughTheServiceOpensThePassphraseDialog() {
        Optional<UserPass> answer = flow().userPass(CredentialsProvider.PRIVATE_KEY_PROMPT + " (client.key)");
        assertEquals(Optional.of(new UserPass("", "pass phrase")), answer);
        assertEquals(List.of("client.key"), passphrases);
        assertTrue(asked.isEmpty());
    }
}
