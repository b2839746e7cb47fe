package io.culvert.engine.tun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies pushed DNS servers and domains to a tunnel interface through systemd-resolved ({@code resolvectl}),
 * the way NetworkManager does for VPNs: per link, so nothing global is rewritten and everything goes away with
 * the interface. Without systemd-resolved it changes nothing and says so. Not thread-safe.
 */
public final class DnsConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DnsConfig.class);
    private static final Path RESOLVED_RUNTIME = Path.of("/run/systemd/resolve");

    private final CommandRunner runner;
    private final boolean available;
    private String configuredLink;

    public DnsConfig(CommandRunner runner, boolean resolvedRunning) {
        this.runner = runner;
        this.available = resolvedRunning;
    }

    /** Uses systemd-resolved when it is running on this host. */
    public static DnsConfig system() {
        return new DnsConfig(new ProcessCommandRunner(), Files.isDirectory(RESOLVED_RUNTIME));
    }

    public boolean available() {
        return available;
    }

    /**
     * Sets the link's DNS servers and search domains; with {@code defaultRoute} the link also becomes the route
     * for every name, else only for its own domains. Servers are IP literals, optionally with a port
     * ({@code 10.8.0.1:53}, {@code [fd00::1]:53}); a domain written {@code ~example.org} only routes queries.
     *
     * @return a one-line description of what was done, for the log
     */
    public String apply(String link, List<String> servers, List<String> domains, boolean defaultRoute) throws IOException {
        if (servers.isEmpty()) {
            return "no DNS servers pushed";
        }
        if (!available) {
            return "DNS servers " + servers + (domains.isEmpty() ? "" : " with domains " + domains)
                    + " pushed but not applied: systemd-resolved is not running";
        }
        for (String server : servers) {
            if (!server.matches("[0-9A-Fa-f:.]+|\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}") || server.startsWith("-")) {
                throw new IOException("not an IP address: " + server);
            }
        }
        for (String domain : domains) {
            if (!domain.matches("~?[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                throw new IOException("not a DNS domain: " + domain);
            }
        }
        List<String> dns = new ArrayList<>(List.of("resolvectl", "dns", link));
        dns.addAll(servers);
        check(dns);
        configuredLink = link;
        List<String> dom = new ArrayList<>(List.of("resolvectl", "domain", link));
        dom.addAll(domains);
        if (defaultRoute) {
            dom.add("~.");
        }
        if (dom.size() > 3) {
            check(dom);
        }
        check(List.of("resolvectl", "default-route", link, defaultRoute ? "true" : "false"));
        return "DNS " + servers + (domains.isEmpty() ? "" : " for " + domains) + " on " + link + " via systemd-resolved";
    }

    /** Reverts what {@link #apply} set; best effort. */
    public void revert() {
        if (configuredLink != null) {
            try {
                runner.run(List.of("resolvectl", "revert", configuredLink));
            } catch (IOException e) {
                LOG.debug("resolvectl revert {}: {}", configuredLink, e.getMessage());
            }
            configuredLink = null;
        }
    }

    private void check(List<String> argv) throws IOException {
        CommandRunner.Result r = runner.run(argv);
        if (!r.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
    }
}
