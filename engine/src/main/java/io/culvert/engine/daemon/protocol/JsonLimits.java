package io.culvert.engine.daemon.protocol;

/**
 * Bounds on one parsed document. Instances are immutable.
 *
 * @param maxChars longest accepted document text
 * @param maxDepth deepest nesting of objects and arrays (the top-level container counts as 1)
 * @param maxMembers most entries in one object or array
 */
public record JsonLimits(int maxChars, int maxDepth, int maxMembers) {
    /** What the service and its clients accept on the socket. */
    public static final JsonLimits PROTOCOL = new JsonLimits(Protocol.MAX_LINE_BYTES, 8, 4096);

    public JsonLimits {
        if (maxChars < 2 || maxDepth < 1 || maxMembers < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
