package io.culvert.engine.config;

import io.culvert.engine.common.PairPolicy;

/**
 * How the server treats its clients as a group: per-client files, limits and client-to-client traffic.
 * Instances are immutable.
 *
 * @param clientConfigDir {@code client-config-dir} resolved against the config's folder, or null
 * @param ccdExclusive {@code ccd-exclusive}
 * @param clientToClient {@code client-to-client}
 * @param duplicateCn {@code duplicate-cn}
 * @param maxClients {@code max-clients}
 * @param maxRoutesPerClient {@code max-routes-per-client}
 * @param connectFreq {@code connect-freq n s}: at most n new UDP client sessions per s seconds, or null (no limit)
 * @param connectFreqInitial {@code connect-freq-initial n s}: at most n replies to UDP clients' first packets per s
 *     seconds, or null (Culvert's own limit of 1000 a second)
 * @param pairPolicy which pairs of clients may reach each other with {@code client-to-client}
 *     ({@code culvert-c2c-deny}, {@code culvert-c2c-allow-only}; ADR 0037); {@link PairPolicy#OPEN} without rules
 */
public record ServerClients(String clientConfigDir, boolean ccdExclusive, boolean clientToClient,
                            boolean duplicateCn, int maxClients, int maxRoutesPerClient, Rate connectFreq,
                            Rate connectFreqInitial, PairPolicy pairPolicy) {
    /** OpenVPN's {@code max-clients} default. */
    public static final int DEFAULT_MAX_CLIENTS = 1024;
    /** OpenVPN's {@code max-routes-per-client} default. */
    public static final int DEFAULT_MAX_ROUTES_PER_CLIENT = 256;
    /** OpenVPN's defaults. */
    public static final ServerClients DEFAULTS =
            new ServerClients(null, false, false, false, DEFAULT_MAX_CLIENTS, DEFAULT_MAX_ROUTES_PER_CLIENT, null, null,
                    PairPolicy.OPEN);

    /** At most {@code max} events per {@code seconds}. */
    public record Rate(int max, int seconds) {}
}
