package io.culvert.engine.crypto;

/**
 * Which half of a two-key block a side sends with ({@code key-direction} / the tls-auth argument).
 * Instances are immutable.
 */
public enum KeyDirection {
    /** Direction 0: send with keys[0], receive with keys[1]. */
    NORMAL(0, 1),
    /** Direction 1: send with keys[1], receive with keys[0]. */
    INVERSE(1, 0),
    /** No direction: both ways use keys[0]. */
    BIDIRECTIONAL(0, 0);

    private final int sendIndex;
    private final int receiveIndex;

    KeyDirection(int sendIndex, int receiveIndex) {
        this.sendIndex = sendIndex;
        this.receiveIndex = receiveIndex;
    }

    /** Maps the config argument: "0" to NORMAL, "1" to INVERSE, null to BIDIRECTIONAL. */
    public static KeyDirection fromConfig(String arg) {
        if (arg == null) {
            return BIDIRECTIONAL;
        }
        return switch (arg.strip()) {
            case "0" -> NORMAL;
            case "1" -> INVERSE;
            default -> throw new IllegalArgumentException("key direction must be 0 or 1, got '" + arg + "'");
        };
    }

    /** Index (0 or 1) of the key this side sends with. */
    public int sendIndex() {
        return sendIndex;
    }

    /** Index (0 or 1) of the key this side receives with. */
    public int receiveIndex() {
        return receiveIndex;
    }
}
