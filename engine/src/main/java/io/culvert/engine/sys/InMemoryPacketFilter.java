package io.culvert.engine.sys;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PacketFilter} double for tests: understands the {@code add/flush/delete table|chain} and {@code add rule}
 * lines of a script, keeps the tables and sysctls in memory and records every script applied. A script with an error
 * changes nothing, as nft's transactions. Thread-safe (every method is synchronized).
 */
public final class InMemoryPacketFilter implements PacketFilter {
    private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    private final Map<String, String> comments = new HashMap<>();
    private final Map<String, String> sysctls = new HashMap<>();
    private boolean sysctlsReadOnly;
    private final List<String> scripts = new ArrayList<>();

    /** A filter whose IPv4 and IPv6 forwarding are off, as in a fresh network namespace. */
    public InMemoryPacketFilter() {
        sysctls.put("net/ipv4/ip_forward", "0");
        sysctls.put("net/ipv6/conf/all/forwarding", "0");
    }

    @Override
    public synchronized void apply(String script) throws IOException {
        Map<String, Map<String, List<String>>> next = new LinkedHashMap<>();
        tables.forEach((t, chains) -> {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            chains.forEach((c, rules) -> copy.put(c, new ArrayList<>(rules)));
            next.put(t, copy);
        });
        Map<String, String> nextComments = new HashMap<>(comments);
        for (String line : script.split("\n")) {
            String[] w = line.strip().split("\\s+", 6);
            if (w.length < 4) {
                if (!line.isBlank()) {
                    throw new IOException("cannot read: " + line);
                }
                continue;
            }
            String table = w[2] + " " + w[3];
            String verb = w[0] + " " + w[1];
            Map<String, List<String>> chains = next.get(table);
            switch (verb) {
                case "add table" -> {
                    next.putIfAbsent(table, new LinkedHashMap<>());
                    int c = line.indexOf("comment \"");
                    if (c >= 0) {
                        nextComments.put(table, line.substring(c + 9, line.indexOf('"', c + 9)));
                    }
                }
                case "delete table" -> {
                    nextComments.remove(table);
                    if (next.remove(table) == null) {
                        throw new IOException("No such file or directory: " + line);
                    }
                }
                case "add chain", "flush chain", "delete chain", "add rule" -> {
                    if (chains == null || w.length < 5) {
                        throw new IOException("No such file or directory: " + line);
                    }
                    String chain = w[4];
                    switch (verb) {
                        case "add chain" -> chains.putIfAbsent(chain, new ArrayList<>());
                        case "flush chain" -> need(chains, chain, line).clear();
                        case "delete chain" -> {
                            need(chains, chain, line);
                            chains.remove(chain);
                        }
                        default -> need(chains, chain, line).add(w.length > 5 ? w[5] : "");
                    }
                }
                default -> throw new IOException("cannot read: " + line);
            }
        }
        tables.clear();
        tables.putAll(next);
        comments.clear();
        comments.putAll(nextComments);
        scripts.add(script);
    }

    private static List<String> need(Map<String, List<String>> chains, String chain, String line) throws IOException {
        List<String> rules = chains.get(chain);
        if (rules == null) {
            throw new IOException("No such file or directory: " + line);
        }
        return rules;
    }

    @Override
    public synchronized String table(String family, String name) {
        Map<String, List<String>> chains = tables.get(family + " " + name);
        if (chains == null) {
            return null;
        }
        StringBuilder out = new StringBuilder("table " + family + " " + name + " {\n");
        String comment = comments.get(family + " " + name);
        if (comment != null) {
            out.append("\tcomment \"").append(comment).append("\"\n");
        }
        chains.forEach((chain, rules) -> {
            out.append("\tchain ").append(chain).append(" {\n");
            rules.forEach(r -> out.append("\t\t").append(r).append('\n'));
            out.append("\t}\n");
        });
        return out.append("}\n").toString();
    }

    @Override
    public synchronized String sysctl(String key) throws IOException {
        String v = sysctls.get(key);
        if (v == null) {
            throw new IOException("no sysctl " + key);
        }
        return v;
    }

    @Override
    public synchronized void sysctl(String key, String value) throws IOException {
        if (sysctlsReadOnly) {
            throw new IOException("/proc/sys/" + key + ": Permission denied");
        }
        sysctls.put(key, value);
    }

    /**
     * Makes writing a sysctl fail from now on, as it does for a process without root's file rights (culvertd), or
     * writable again; reading still works.
     */
    public synchronized void sysctlsReadOnly(boolean readOnly) {
        sysctlsReadOnly = readOnly;
    }

    /** Every script applied so far, in order. */
    public synchronized List<String> scripts() {
        return List.copyOf(scripts);
    }
}
