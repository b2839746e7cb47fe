package io.culvert.engine.sys;

import java.util.Locale;

/**
 * Whether the engine may use kernel offloads: a TUN virtio header with TSO/USO, UDP GSO ({@code UDP_SEGMENT}) and
 * UDP GRO. On unless the system property {@code culvert.offload} or the environment variable {@code CULVERT_OFFLOAD}
 * is {@code off} (the property wins); read once. Immutable.
 *
 * @param enabled false turns every offload off; the data path then moves one packet per call
 */
public record Offloads(boolean enabled) {
    private static final Offloads CURRENT = from(System.getProperty("culvert.offload"), System.getenv("CULVERT_OFFLOAD"));

    /** The process-wide setting. */
    public static Offloads current() {
        return CURRENT;
    }

    /** The setting for a property value and an environment value, either may be null. */
    public static Offloads from(String property, String environment) {
        String v = property != null ? property : environment;
        return new Offloads(v == null || !v.strip().toLowerCase(Locale.ROOT).equals("off"));
    }
}
