package io.culvert.cli;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.StaticChallenge;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.tls.PassphraseSource;
import java.io.Console;
import java.util.Optional;

/**
 * Asks on the console, as stock OpenVPN does: username and password for auth-user-pass, and
 * "Enter Private Key Password:" for an encrypted key. Without a console every answer is empty. Stateless.
 */
final class ConsolePrompts implements CredentialsProvider {
    private final Console console;
    private final StaticChallenge challenge;

    ConsolePrompts(Console console) {
        this(console, null);
    }

    /** Also asks for the response to {@code challenge} (null for none) after the password. */
    ConsolePrompts(Console console, StaticChallenge challenge) {
        this.console = console;
        this.challenge = challenge;
    }

    /** Prompts on {@link System#console()}. */
    static ConsolePrompts system() {
        return new ConsolePrompts(System.console());
    }

    /** Prompts on {@link System#console()}, with the profile's static challenge (null for none). */
    static ConsolePrompts system(StaticChallenge challenge) {
        return new ConsolePrompts(System.console(), challenge);
    }

    @Override
    public Optional<UserPass> userPass(String prompt) {
        if (console == null) {
            return Optional.empty();
        }
        String user = console.readLine("%s%nUsername: ", prompt);
        char[] pass = console.readPassword("Password: ");
        if (user == null || pass == null) {
            return Optional.empty();
        }
        if (challenge == null || CredentialsProvider.isProxyPrompt(prompt)) {
            return Optional.of(new UserPass(user, new String(pass)));
        }
        // Like openvpn: "CHALLENGE: <text>", echoed only when the profile says so
        String response = challenge.echo() ? console.readLine("CHALLENGE: %s ", challenge.text())
                : Optional.ofNullable(console.readPassword("CHALLENGE: %s ", challenge.text())).map(String::new).orElse(null);
        if (response == null) {
            return Optional.empty();
        }
        return Optional.of(new UserPass(user, challenge.wirePassword(new String(pass), response)));
    }

    @Override
    public Optional<String> privateKeyPassphrase(String keyName) {
        return passphrase(keyName).map(String::new);
    }

    /** The same prompt for the server, which has no {@link CredentialsProvider}. */
    PassphraseSource passphrases() {
        return this::passphrase;
    }

    private Optional<char[]> passphrase(String keyName) {
        if (console == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(console.readPassword("%s ", PassphraseSource.PROMPT));
    }
}
