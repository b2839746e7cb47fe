package io.culvert.engine.tls;

import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The {@link SSLContext}s of the last few {@link TlsSettings} instances, keyed by identity (a settings instance is
 * built once per server plan or client profile), least recently used dropped first. Bounded; thread-safe.
 */
final class ContextCache {
    private static final int MAX_ENTRIES = 8;

    /** Identity key: two equal settings built separately (say, after a reload) get their own context. */
    private record Key(TlsSettings settings) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.settings == settings;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(settings);
        }
    }

    private final Map<Key, SSLContext> contexts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SSLContext> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SSLContext get(TlsSettings settings) throws GeneralSecurityException {
        Key key = new Key(settings);
        synchronized (contexts) {
            SSLContext c = contexts.get(key);
            if (c != null) {
                return c;
            }
        }
        SSLContext built = TlsChannel.context(settings);
        synchronized (contexts) {
            return contexts.computeIfAbsent(key, k -> built);
        }
    }
}
