package io.culvert.engine.api;

import java.util.List;

/**
 * The result of importing a profile: what Culvert does with each directive as written, the errors that stop it
 * from being used, and the stored profile when it was stored. Instances are immutable.
 *
 * @param source the imported file's name
 * @param stored the stored profile, or null when the file was not stored
 */
public record ProfileImport(String source, List<Item> items, List<Problem> problems, ProfileSummary stored) {

    public ProfileImport {
        items = List.copyOf(items);
        problems = List.copyOf(problems);
    }

    /** What Culvert does with one directive. */
    public enum Status {
        /** Read and honoured as OpenVPN does. */
        SUPPORTED,
        /** Accepted and skipped; the note says why. */
        IGNORED,
        /** Honoured in an equivalent form; the note says which. */
        TRANSLATED,
        /** Known, but Culvert cannot honour it; the profile is not usable. */
        UNSUPPORTED,
        /** Not a directive Culvert knows. */
        UNKNOWN,
        /** Known, but this line is wrong as written (a bad value, an unreadable file …); the note is why. Not usable. */
        REFUSED
    }

    /**
     * One directive's classification.
     *
     * @param line 1-based line in the imported file
     * @param warning true for ignored directives the user may rely on
     * @param inConnection true inside a {@code <connection>} block
     */
    public record Item(int line, String directive, Status status, String note, boolean warning, boolean inConnection) {}

    /**
     * One error that makes the file unusable.
     *
     * @param line 1-based line, 0 when the error is not tied to a line
     * @param reason the error class, e.g. UNKNOWN_DIRECTIVE, MISSING_REQUIRED, IO
     */
    public record Problem(int line, String directive, String reason, String detail) {}

    /** True when nothing stops Culvert from using the file. */
    public boolean usable() {
        return problems.isEmpty();
    }

    /** How many directives have {@code status}. */
    public long count(Status status) {
        return items.stream().filter(i -> i.status() == status).count();
    }
}
