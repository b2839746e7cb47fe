package io.culvert.app.client;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.api.Profiles;
import io.culvert.engine.api.SavedLogin;
import io.culvert.engine.api.UserPass;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of one connection attempt: the saved login when there is one (unless it was just refused or the
 * profile has a static challenge), otherwise the prompt on the FX thread, waited for on the engine thread that
 * asks. Remembers the answer (to save it once connected) and whether the user cancelled. Thread-safe.
 */
final class LoginFlow implements CredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);

    private final Profiles store;
    private final ProfileSummary profile;
    private final boolean retry;
    private final boolean keyring;
    private final Executor fx;
    private final ClientViewModel.LoginPrompter prompter;
    private volatile Login.Answer answer;
    private volatile boolean cancelled;

    LoginFlow(Profiles store, ProfileSummary profile, boolean retry, boolean keyring, Executor fx,
            ClientViewModel.LoginPrompter prompter) {
        this.store = store;
        this.profile = profile;
        this.retry = retry;
        this.keyring = keyring;
        this.fx = fx;
        this.prompter = prompter;
    }

    @Override
    public Optional<UserPass> userPass(String prompt) {
        if (CredentialsProvider.isPrivateKeyPrompt(prompt)) {
            // through the service, a passphrase request arrives as a plain prompt
            return privateKeyPassphrase(CredentialsProvider.keyNameOf(prompt)).map(p -> new UserPass("", p));
        }
        if (CredentialsProvider.isProxyPrompt(prompt)) {
            return proxyLogin(prompt);
        }
        Optional<SavedLogin> saved = Optional.empty();
        try {
            saved = store.savedLogin(profile.name());
        } catch (ProfileException e) {
            LOG.warn("Cannot read the saved login of {}: {}", profile.name(), e.getMessage());
        }
        boolean challenge = profile.staticChallenge() != null;
        if (!retry && !challenge && saved.isPresent() && saved.get().hasPassword()) {
            return Optional.of(new UserPass(saved.get().username(), saved.get().password()));
        }
        Login.Request request = new Login.Request(profile.name(), profile.staticChallenge(), profile.challengeEcho(),
                saved.map(SavedLogin::username).orElse(""), retry, keyring);
        CompletableFuture<Optional<Login.Answer>> asked = new CompletableFuture<>();
        fx.execute(() -> prompter.ask(request).whenComplete((a, err) -> asked.complete(err == null ? a : Optional.empty())));
        Optional<Login.Answer> a;
        try {
            a = asked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            a = Optional.empty();
        } catch (ExecutionException e) {
            a = Optional.empty();
        }
        if (a.isEmpty()) {
            cancelled = true;
            return Optional.empty();
        }
        answer = a.get();
        return Optional.of(new UserPass(answer.username(), answer.wirePassword(challenge, profile.challengeConcat())));
    }

    /** The proxy's own login: asked every time, never saved, never mistaken for the VPN login. */
    private Optional<UserPass> proxyLogin(String prompt) {
        Login.Request request = new Login.Request(profile.name() + " — " + prompt, null, false, "", false, false);
        CompletableFuture<Optional<Login.Answer>> asked = new CompletableFuture<>();
        fx.execute(() -> prompter.ask(request).whenComplete((a, err) -> asked.complete(err == null ? a : Optional.empty())));
        Optional<Login.Answer> a = await(asked);
        if (a.isEmpty()) {
            cancelled = true;
        }
        return a.map(x -> new UserPass(x.username(), x.password()));
    }

    /** Asks for the passphrase in a dialog; never saved, so an encrypted key is asked for on every connect. */
    @Override
    public Optional<String> privateKeyPassphrase(String keyName) {
        CompletableFuture<Optional<String>> asked = new CompletableFuture<>();
        fx.execute(() -> prompter.askPassphrase(profile.name(), keyName)
                .whenComplete((p, err) -> asked.complete(err == null ? p : Optional.empty())));
        Optional<String> p = await(asked);
        if (p.isEmpty()) {
            cancelled = true;
        }
        return p;
    }

    private static <T> Optional<T> await(CompletableFuture<Optional<T>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** True when the user cancelled the prompt. */
    boolean cancelled() {
        return cancelled;
    }

    /** The user's answer, once; null when none was asked or it was already taken. */
    Login.Answer takeAnswer() {
        Login.Answer a = answer;
        answer = null;
        return a;
    }
}
