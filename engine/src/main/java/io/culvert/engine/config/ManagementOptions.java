package io.culvert.engine.config;

/**
 * The {@code management-*} switches that shape the management interface ({@code management} itself holds the
 * address). Instances are immutable.
 *
 * @param hold {@code management-hold}: wait for {@code hold release} before connecting or serving
 * @param logCache {@code management-log-cache}: how many log lines the interface keeps for {@code log all}
 */
public record ManagementOptions(boolean hold, int logCache) {

    /** OpenVPN's default {@code management-log-cache}. */
    public static final int DEFAULT_LOG_CACHE = 250;

    /** No hold, the default cache. */
    public static final ManagementOptions DEFAULTS = new ManagementOptions(false, DEFAULT_LOG_CACHE);

    public ManagementOptions {
        if (logCache < 1) {
            throw new IllegalArgumentException("management-log-cache must be at least 1, was " + logCache);
        }
    }
}
