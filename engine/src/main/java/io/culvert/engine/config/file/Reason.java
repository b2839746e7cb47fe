package io.culvert.engine.config.file;

/** Why a config file was rejected; the UI turns these into words. */
public enum Reason {
    /** The line cannot be tokenised (unbalanced quote, bad backslash, stray closing tag). */
    SYNTAX_ERROR,
    /** The directive is not in the catalogue and was not marked as ignorable. */
    UNKNOWN_DIRECTIVE,
    /** The directive is known but Culvert cannot honour it safely. */
    UNSUPPORTED_DIRECTIVE,
    /** The directive has too few or too many arguments. */
    WRONG_ARGUMENT_COUNT,
    /** An argument is malformed or out of range. */
    INVALID_VALUE,
    /** An inline block such as {@code <ca>} has no closing tag. */
    MISSING_INLINE_END,
    /** A line, inline block, file or argument list is larger than allowed. */
    LIMIT_EXCEEDED,
    /** A file named by the config (or the config itself) cannot be read. */
    FILE_NOT_READABLE,
    /** A directive the client needs is absent. */
    MISSING_REQUIRED,
    /** Two directives contradict each other. */
    CONFLICT
}
