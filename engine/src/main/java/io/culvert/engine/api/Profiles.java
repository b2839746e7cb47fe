package io.culvert.engine.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The stored client profiles as the app sees them: import with a per-directive report, rename, delete, export,
 * the text and a form of its main settings, and saved logins. Implemented over the store by
 * {@code io.culvert.engine.profiles.LocalProfiles}. Methods may block on disk or the keyring: call them off the UI
 * thread. Implementations are thread-safe. Failures throw {@link ProfileException}.
 */
public interface Profiles extends AutoCloseable {

    /** All profiles, ordered by name. */
    List<ProfileSummary> list();

    Optional<ProfileSummary> find(String name);

    /**
     * Reads {@code file}, reports what Culvert does with each directive and, when nothing stops it, stores it as
     * {@code name} (null: the file name without extension, made unique). File references (ca, cert, key ...) are
     * copied into the stored text as inline blocks where they are readable text; the report describes the file as
     * written. A file that is not usable is not stored ({@link ProfileImport#stored()} is null).
     */
    ProfileImport importFile(Path file, String name);

    /** Renames; the saved login follows. */
    ProfileSummary rename(String name, String newName);

    /** Deletes the profile and its saved login (keyring item included); false if there was none. */
    boolean delete(String name);

    /** Writes the profile's text to {@code target} (owner-only permissions), replacing it. */
    void export(String name, Path target);

    /** The profile's text as stored, comments and layout included. */
    String text(String name);

    /** Folder against which file references left in the text resolve. */
    Path baseDir(String name);

    /** Validates and replaces the text. */
    ProfileSummary saveText(String name, String text);

    /** The main settings of the profile's text. */
    ProfileForm form(String name);

    /**
     * The text with {@code form} applied: lines whose setting did not change stay as written (comments, order,
     * unknown directives and blocks included); changed settings replace their lines in place. Does not store.
     */
    String applyForm(String text, ProfileForm form);

    /** Applies {@code form} to the stored text, validates and stores the result. */
    ProfileSummary saveForm(String name, ProfileForm form);

    /** Records that the profile was just used to connect. */
    void markUsed(String name);

    /** The saved login, if any. */
    Optional<SavedLogin> savedLogin(String name);

    /**
     * Saves the login of {@code name}; {@code password} null saves the username only. Without a keyring the
     * password is saved only with {@code allowEncryptedFile} (else NO_SECRET_STORAGE).
     */
    SavedLogin saveLogin(String name, String username, String password, boolean allowEncryptedFile);

    /** Forgets the saved login; false if none was saved. */
    boolean forgetLogin(String name);

    /** True when the desktop keyring (Secret Service) answers. */
    boolean keyringAvailable();

    /** Key/value settings of the app (window size, last profile ...). */
    AppSettings settings();

    @Override
    void close();
}
