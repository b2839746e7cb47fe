package io.culvert.engine.it;

import java.util.ArrayList;
import java.util.List;

/**
 * One reading of an OpenVPN status file (status-version 1), with Culvert's
 * {@code FLOW,<source>,<destination>,<KIND>,<packets>,<bytes>} lines; immutable.
 *
 * @param text the file's text
 */
public record StatusSnapshot(String text) {

    /** The section and column header lines, in order, as OpenVPN prints them (values left out). */
    public List<String> layout() {
        return text.lines().filter(l -> l.equals("OpenVPN CLIENT LIST") || l.startsWith("Updated,")
                || l.startsWith("Common Name,") || l.equals("ROUTING TABLE") || l.startsWith("Virtual Address,")
                || l.equals("GLOBAL STATS") || l.equals("END")).map(l -> l.startsWith("Updated,") ? "Updated" : l).toList();
    }

    /** Common names in the CLIENT LIST section. */
    public List<String> commonNames() {
        List<String> names = new ArrayList<>();
        boolean inList = false;
        for (String l : text.lines().toList()) {
            if (l.startsWith("Common Name,")) {
                inList = true;
            } else if (l.equals("ROUTING TABLE")) {
                inList = false;
            } else if (inList) {
                names.add(l.substring(0, l.indexOf(',')));
            }
        }
        return names;
    }

    /** Routing table lines (virtual address first). */
    public List<String> routes() {
        List<String> routes = new ArrayList<>();
        boolean in = false;
        for (String l : text.lines().toList()) {
            if (l.startsWith("Virtual Address,")) {
                in = true;
            } else if (l.equals("GLOBAL STATS")) {
                in = false;
            } else if (in) {
                routes.add(l);
            }
        }
        return routes;
    }

    /** Packets on the flow edge, 0 when the file has no such line. */
    public long packets(String source, String destination, String kind) {
        return field(source, destination, kind, 4);
    }

    /** Bytes on the flow edge, 0 when the file has no such line. */
    public long bytes(String source, String destination, String kind) {
        return field(source, destination, kind, 5);
    }

    /** The FLOW lines. */
    public List<String> flows() {
        return text.lines().filter(l -> l.startsWith("FLOW,")).toList();
    }

    private long field(String source, String destination, String kind, int index) {
        long sum = 0;
        for (String l : flows()) {
            String[] f = l.split(",");
            if (f.length == 6 && f[1].equals(source) && f[2].equals(destination) && f[3].equals(kind)) {
                sum += Long.parseLong(f[index]);
            }
        }
        return sum;
    }
}
