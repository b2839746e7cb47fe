package io.culvert.engine.config;

/**
 * How the running tunnel is watched: log verbosity, the management interface and the status file.
 * Instances are immutable.
 *
 * @param verb {@code verb}
 * @param management the {@code management} arguments joined by spaces, or null
 * @param managementOptions {@code management-hold} and {@code management-log-cache}
 * @param statusFile the {@code status} file resolved against the config's folder, or null
 * @param statusSeconds the status file's rewrite period
 */
public record Monitoring(int verb, String management, ManagementOptions managementOptions, String statusFile,
                         int statusSeconds) {
    /** OpenVPN's {@code status} rewrite period when the directive names none. */
    public static final int DEFAULT_STATUS_SECONDS = 60;
    /** {@code verb 1}, no management interface, no status file. */
    public static final Monitoring DEFAULTS =
            new Monitoring(1, null, ManagementOptions.DEFAULTS, null, DEFAULT_STATUS_SECONDS);
}
