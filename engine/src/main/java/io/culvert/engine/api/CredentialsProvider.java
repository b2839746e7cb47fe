package io.culvert.engine.api;

import java.util.Optional;

/** Asks the user (or a file, or a keyring) for credentials; the GUI implements it with a dialog. */
@FunctionalInterface
public interface CredentialsProvider {
    /** The prompt text of a private key passphrase request, as stock OpenVPN prints it. */
    String PRIVATE_KEY_PROMPT = "Enter Private Key Password:";

    /** Empty when the user cancelled. Called on an engine thread; may block. */
    Optional<UserPass> userPass(String prompt);

    /**
     * The passphrase of the encrypted private key (or password-protected PKCS#12 file) named {@code keyName}; empty
     * when the user cancelled. Called on an engine thread; may block. By default the request goes through
     * {@link #userPass} with a prompt that starts with {@link #PRIVATE_KEY_PROMPT}, and the password is the answer,
     * so a provider that only forwards prompts (the service protocol) carries it unchanged.
     */
    default Optional<String> privateKeyPassphrase(String keyName) {
        return userPass(privateKeyPrompt(keyName)).map(UserPass::password);
    }

    /** The prompt text for {@code keyName}'s passphrase. */
    static String privateKeyPrompt(String keyName) {
        return PRIVATE_KEY_PROMPT + " (" + keyName + ")";
    }

    /** True when {@code prompt} asks for an HTTP or SOCKS proxy's login rather than the VPN's. */
    static boolean isProxyPrompt(String prompt) {
        return prompt != null && (prompt.startsWith("Enter HTTP Proxy") || prompt.startsWith("Enter SOCKS Proxy"));
    }

    /** True when {@code prompt} asks for a private key passphrase rather than a username and password. */
    static boolean isPrivateKeyPrompt(String prompt) {
        return prompt != null && prompt.startsWith(PRIVATE_KEY_PROMPT);
    }

    /** The key name in a {@link #privateKeyPrompt} text, or the whole text when it has none. */
    static String keyNameOf(String prompt) {
        int open = prompt.indexOf(" (");
        return open >= 0 && prompt.endsWith(")") ? prompt.substring(open + 2, prompt.length() - 1) : prompt;
    }
}
