package io.culvert.engine.store;

import java.util.Optional;

/**
 * The desktop keyring (Secret Service) as the store sees it: secrets addressed by an account string.
 * Implementations throw {@link StoreException} of kind SECRET_STORAGE_FAILED when a call fails.
 */
public interface Keyring {
    /** A keyring that is never available: passwords go to the encrypted file only when the user opts in. */
    Keyring NONE = new Keyring() {
        @Override
        public boolean isAvailable() {
            return false;
        }

        @Override
        public void store(String account, String label, String secret) {
            throw new StoreException(StoreException.Kind.NO_SECRET_STORAGE, "no keyring");
        }

        @Override
        public Optional<String> lookup(String account) {
            return Optional.empty();
        }

        @Override
        public void clear(String account) {
        }
    };

    /** True when a Secret Service is running and answering. */
    boolean isAvailable();

    /** Stores (or replaces) the secret of {@code account}; {@code label} is what the keyring UI shows. */
    void store(String account, String label, String secret);

    Optional<String> lookup(String account);

    /** Removes the secret of {@code account} if there is one. */
    void clear(String account);
}
