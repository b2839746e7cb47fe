package io.culvert.engine.profiles;

import io.culvert.engine.api.AppSettings;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.api.ProfileImport;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.api.Profiles;
import io.culvert.engine.api.SavedLogin;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.ProfileInliner;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.report.ImportReport;
import io.culvert.engine.store.Keyring;
import io.culvert.engine.store.ProfileCheck;
import io.culvert.engine.store.SavedCredentials;
import io.culvert.engine.store.SecretToolKeyring;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoredProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Profiles} over the SQLite {@link Store}: profile text in the profile table, the folder a profile was
 * imported from in the settings (for file references that could not be inlined), logins in the credential table
 * and the desktop keyring. Thread-safe (the store is).
 */
public final class LocalProfiles implements Profiles {
    private static final String DIR_KEY = "client.profile-dir.";

    private final Store store;
    private final Keyring keyring;
    private final InstantSource clock;
    private final AppSettings settings;

    LocalProfiles(Store store, Keyring keyring, InstantSource clock) {
        this.store = store;
        this.keyring = keyring;
        this.clock = clock;
        this.settings = new AppSettings() {
            @Override
            public Optional<String> get(String key) {
                return call(() -> store.settings().get(key));
            }

            @Override
            public void put(String key, String value) {
                call(() -> {
                    store.settings().put(key, value);
                    return null;
                });
            }
        };
    }

    /** Opens (creating) the database at {@code database}; {@code desktopKeyring} uses secret-tool when it is installed. */
    public static LocalProfiles open(Path database, boolean desktopKeyring, InstantSource clock) {
        Store store = call(() -> Store.open(database, clock));
        return new LocalProfiles(store, desktopKeyring ? SecretToolKeyring.fromPath(System.getenv()) : Keyring.NONE, clock);
    }

    @Override
    public List<ProfileSummary> list() {
        return call(() -> store.profiles().list().stream().map(LocalProfiles::summary).toList());
    }

    @Override
    public Optional<ProfileSummary> find(String name) {
        return call(() -> store.profiles().find(name).map(LocalProfiles::summary));
    }

    @Override
    public ProfileImport importFile(Path file, String name) {
        Path dir = file.toAbsolutePath().getParent();
        ImportReport report = ImportReport.load(file, Role.CLIENT, false);
        List<ProfileImport.Item> items = report.items().stream().map(i -> new ProfileImport.Item(i.line(), i.directive(),
                ProfileImport.Status.valueOf(i.status().name()), i.note(), i.warning(), i.inConnection())).toList();
        List<ProfileImport.Problem> problems = report.problems().stream()
                .map(p -> new ProfileImport.Problem(p.line(), p.directive(), p.reason().name(), p.detail())).toList();
        String source = String.valueOf(file.getFileName());
        if (!report.usable()) {
            return new ProfileImport(source, items, problems, null);
        }
        try {
            String text = ProfileInliner.inline(OvpnFile.load(file), dir, ProfileInliner.Mode.STORE).file().write();
            String n = name != null ? name : uniqueName(baseName(source));
            StoredProfile p = checked(() -> store.profiles().add(n, text, new ProfileCheck(dir, false)));
            settings.put(DIR_KEY + p.id(), dir.toString());
            return new ProfileImport(source, items, problems, summary(p));
        } catch (OvpnParseException e) {
            return new ProfileImport(source, items, List.of(problem(e)), null);
        }
    }

    @Override
    public ProfileSummary rename(String name, String newName) {
        return summary(call(() -> store.profiles().rename(name, newName)));
    }

    @Override
    public boolean delete(String name) {
        return call(() -> {
            Optional<StoredProfile> p = store.profiles().find(name);
            if (p.isEmpty()) {
                return false;
            }
            store.credentials(keyring).delete(name);
            store.settings().remove(DIR_KEY + p.get().id());
            return store.profiles().delete(name);
        });
    }

    @Override
    public void export(String name, Path target) {
        String text = text(name);
        try {
            PrivateFiles.writePrivate(target, text);
        } catch (IOException e) {
            throw new ProfileException(ProfileException.Kind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String text(String name) {
        return stored(name).text();
    }

    @Override
    public Path baseDir(String name) {
        StoredProfile p = stored(name);
        return settings.get(DIR_KEY + p.id()).map(Path::of).orElse(store.file().orElseThrow().getParent());
    }

    @Override
    public ProfileSummary saveText(String name, String text) {
        Path dir = baseDir(name);
        try {
            return summary(checked(() -> store.profiles().replaceText(name, text, new ProfileCheck(dir, false))));
        } catch (OvpnParseException e) {
            throw invalid(e);
        }
    }

    @Override
    public ProfileForm form(String name) {
        return ProfileForms.read(parse(text(name)));
    }

    @Override
    public String applyForm(String text, ProfileForm form) {
        return ProfileForms.apply(parse(text), form).write();
    }

    @Override
    public ProfileSummary saveForm(String name, ProfileForm form) {
        return saveText(name, applyForm(text(name), form));
    }

    @Override
    public void markUsed(String name) {
        call(() -> {
            store.profiles().markUsed(name, clock.instant());
            return null;
        });
    }

    @Override
    public Optional<SavedLogin> savedLogin(String name) {
        return call(() -> store.credentials(keyring).find(name).map(LocalProfiles::login));
    }

    @Override
    public SavedLogin saveLogin(String name, String username, String password, boolean allowEncryptedFile) {
        return login(call(() -> store.credentials(keyring).save(name, username, password, allowEncryptedFile)));
    }

    @Override
    public boolean forgetLogin(String name) {
        return call(() -> store.credentials(keyring).delete(name));
    }

    @Override
    public boolean keyringAvailable() {
        return keyring.isAvailable();
    }

    @Override
    public AppSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        store.close();
    }

    private StoredProfile stored(String name) {
        return call(() -> store.profiles().find(name)).orElseThrow(() ->
                new ProfileException(ProfileException.Kind.NOT_FOUND, "no profile named '" + name + "'", null));
    }

    private String uniqueName(String base) {
        String n = base.isBlank() ? "profile" : base;
        for (int i = 2; find(n).isPresent(); i++) {
            n = base + " (" + i + ")";
        }
        return n;
    }

    private static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String s = dot > 0 ? fileName.substring(0, dot) : fileName;
        s = s.strip().replaceAll("\\p{Cntrl}", "");
        return s.length() > 120 ? s.substring(0, 120).strip() : s;
    }

    private static OvpnFile parse(String text) {
        try {
            return OvpnFile.parse(text);
        } catch (OvpnParseException e) {
            throw invalid(e);
        }
    }

    static ProfileSummary summary(StoredProfile p) {
        ProfileFacts f = ProfileFacts.of(p.text());
        return new ProfileSummary(p.name(), f.remotes(), f.asksLogin(), f.challenge(), f.challengeEcho(), f.challengeConcat(),
                p.createdAt(),
                p.updatedAt(), p.lastUsedAt());
    }

    private static SavedLogin login(SavedCredentials c) {
        return new SavedLogin(c.username(), c.password(), c.location() == SavedCredentials.Location.KEYRING);
    }

    private static ProfileImport.Problem problem(OvpnParseException e) {
        return new ProfileImport.Problem(e.line(), e.directive(), e.reason().name(), e.detail());
    }

    private static ProfileException invalid(OvpnParseException e) {
        return new ProfileException(ProfileException.Kind.INVALID, e.getMessage(), e);
    }

    /** Runs a store call, turning store failures into {@link ProfileException}s. */
    private static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    @FunctionalInterface
    private interface Checked<T> {
        T get() throws OvpnParseException;
    }

    private static <T> T checked(Checked<T> body) throws OvpnParseException {
        try {
            return body.get();
        } catch (StoreException e) {
            throw failure(e);
        }
    }

    /** {@code e} as a profile failure; a role the database refuses is a failed read or write to the user. */
    private static ProfileException failure(StoreException e) {
        ProfileException.Kind kind = switch (e.kind()) {
            case NOT_FOUND -> ProfileException.Kind.NOT_FOUND;
            case DUPLICATE -> ProfileException.Kind.DUPLICATE;
            case INVALID -> ProfileException.Kind.INVALID;
            case NO_SECRET_STORAGE -> ProfileException.Kind.NO_SECRET_STORAGE;
            case SECRET_STORAGE_FAILED -> ProfileException.Kind.SECRET_STORAGE_FAILED;
            case DENIED, IO -> ProfileException.Kind.IO;
        };
        return new ProfileException(kind, e.getMessage(), e);
    }
}
