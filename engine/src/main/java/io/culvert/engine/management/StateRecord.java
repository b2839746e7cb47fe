package io.culvert.engine.management;

/**
 * One {@code >STATE:} entry: unix time, OpenVPN state name, description, local tunnel IPv4, remote address and
 * port, local address and port, and (only when set) the local tunnel IPv6. Empty strings for unknown fields.
 * Instances are immutable.
 */
public record StateRecord(long unixTime, String name, String description, String tunIp, String remoteIp,
        String remotePort, String localIp, String localPort, String tunIpv6) {

    /** The comma-separated line without the {@code >STATE:} prefix, as OpenVPN prints it. */
    public String format() {
        StringBuilder s = new StringBuilder().append(unixTime).append(',').append(name).append(',')
                .append(clean(description)).append(',').append(clean(tunIp)).append(',').append(clean(remoteIp))
                .append(',').append(clean(remotePort)).append(',').append(clean(localIp)).append(',')
                .append(clean(localPort));
        if (tunIpv6 != null && !tunIpv6.isEmpty()) {
            s.append(',').append(clean(tunIpv6));
        }
        return s.toString();
    }

    static String clean(String field) {
        return field == null ? "" : field.replace(',', ';').replace('\r', ' ').replace('\n', ' ');
    }
}
