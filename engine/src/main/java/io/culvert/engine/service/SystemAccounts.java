package io.culvert.engine.service;

import io.culvert.engine.common.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads accounts through {@code id(1)}, which asks NSS (files, LDAP, sssd ...) with getgrouplist, so remote
 * directories count as the rest of the system counts them. One short process per connection. Thread-safe.
 */
public final class SystemAccounts implements Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(SystemAccounts.class);
    private static final Pattern ENTRY = Pattern.compile("(\\d+)(?:\\(([^)]*)\\))?");

    @Override
    public Optional<Account> lookup(String userName) {
        if (userName == null || userName.isEmpty() || userName.length() > 256 || userName.contains("\n")) {
            return Optional.empty();
        }
        try {
            Processes.Result r = Processes.command("id", "--", userName).env(Map.of("LC_ALL", "C"))
                    .timeout(Duration.ofSeconds(5)).run();
            return r.succeeded() ? parse(userName, r.out()) : Optional.empty();
        } catch (Processes.TimedOut e) {
            return Optional.empty();
        } catch (IOException e) {
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("cannot run id for {}: {}", userName, e.toString());
            }
            return Optional.empty();
        }
    }

    /** Parses {@code id}'s C-locale output, e.g. {@code uid=1000(bob) gid=1000(bob) groups=1000(bob),27(sudo)}. */
    static Optional<Account> parse(String userName, String output) {
        long uid = -1;
        long gid = -1;
        Set<String> groups = new HashSet<>();
        for (String part : output.trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq);
            String[] entries = part.substring(eq + 1).split(",");
            switch (key) {
                case "uid" -> uid = number(entries[0]);
                case "gid" -> {
                    gid = number(entries[0]);
                    addName(entries[0], groups);
                }
                case "groups" -> {
                    for (String e : entries) {
                        addName(e, groups);
                    }
                }
                default -> { }
            }
        }
        if (uid < 0 || gid < 0) {
            return Optional.empty();
        }
        return Optional.of(new Account(userName, uid, gid, groups));
    }

    private static long number(String entry) {
        Matcher m = ENTRY.matcher(entry);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void addName(String entry, Set<String> groups) {
        Matcher m = ENTRY.matcher(entry);
        if (m.matches() && m.group(2) != null) {
            groups.add(m.group(2));
        }
    }
}
