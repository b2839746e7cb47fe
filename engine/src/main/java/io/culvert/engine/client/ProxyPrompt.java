package io.culvert.engine.client;

import io.culvert.engine.api.CredentialsProvider;
import io.culvert.engine.api.UserPass;
import io.culvert.engine.config.ClientConfig.AuthUserPass;
import io.culvert.engine.transport.proxy.CredentialSource;
import io.culvert.engine.transport.proxy.ProxyCredentials;
import io.culvert.engine.transport.proxy.ProxyException;
import java.util.Optional;

/**
 * Proxy credentials from the profile, completed by asking the user through the {@link CredentialsProvider} (as
 * stock OpenVPN asks for "HTTP Proxy" credentials). An answer is kept for later reconnects until the proxy refuses
 * it. Used by the connecting thread only; not thread-safe.
 */
final class ProxyPrompt implements CredentialSource {
    /** The prompt text for HTTP proxy credentials. */
    static final String HTTP_PROMPT = "Enter HTTP Proxy Username/Password";
    /** The prompt text for SOCKS proxy credentials. */
    static final String SOCKS_PROMPT = "Enter SOCKS Proxy Username/Password";

    private final AuthUserPass configured;
    private final CredentialsProvider provider;
    private final String prompt;
    private ProxyCredentials asked;

    /** {@code configured} null: nothing in the profile, the user is asked when the proxy wants credentials. */
    ProxyPrompt(AuthUserPass configured, CredentialsProvider provider, String prompt) {
        this.configured = configured;
        this.provider = provider;
        this.prompt = prompt;
    }

    @Override
    public ProxyCredentials credentials() throws ProxyException {
        if (configured != null && !configured.needsPrompt()) {
            return new ProxyCredentials(configured.username(), configured.password());
        }
        if (asked == null) {
            Optional<UserPass> answer = provider == null ? Optional.empty() : provider.userPass(prompt);
            if (answer.isEmpty()) {
                throw new ProxyException(ProxyException.Reason.AUTH_CANCELLED, "no proxy credentials given (" + prompt + ")");
            }
            String user = configured != null && configured.username() != null ? configured.username() : answer.get().username();
            asked = new ProxyCredentials(user, answer.get().password());
        }
        return asked;
    }

    @Override
    public void rejected() {
        asked = null;
    }
}
