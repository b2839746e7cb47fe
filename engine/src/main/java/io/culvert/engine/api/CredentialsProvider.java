package io.culvert.engine.api;

import java.util.Optional;

/** Asks the user (or a file, or a keyring) for credentials; the GUI implements it with a dialog. */
@FunctionalInterface
public interface CredentialsProvider {
    /** Empty when the user cancelled. Called on an engine thread; may block. */
    Optional<UserPass> userPass(String prompt);
}
