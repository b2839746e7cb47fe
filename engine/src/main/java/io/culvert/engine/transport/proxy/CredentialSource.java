package io.culvert.engine.transport.proxy;

import java.io.IOException;

/**
 * Where a dialer gets proxy credentials when the proxy asks for them. Implementations may prompt the user and
 * may block; they are called on the connecting thread only.
 */
public interface CredentialSource {
    /** No credentials at all: a proxy that asks for them fails the connection. */
    CredentialSource NONE = new CredentialSource() {
        @Override
        public ProxyCredentials credentials() {
            return null;
        }

        @Override
        public void rejected() {
            // nothing to forget
        }
    };

    /** The credentials to send, or null when there are none (the user cancelled, none configured). */
    ProxyCredentials credentials() throws IOException;

    /** The proxy refused the last credentials: forget them if they were asked for, so the next attempt asks again. */
    void rejected();

    /** Always {@code fixed}, from a file or an inline block. */
    static CredentialSource fixed(ProxyCredentials fixed) {
        return new CredentialSource() {
            @Override
            public ProxyCredentials credentials() {
                return fixed;
            }

            @Override
            public void rejected() {
                // a file's credentials cannot be asked again
            }
        };
    }
}
