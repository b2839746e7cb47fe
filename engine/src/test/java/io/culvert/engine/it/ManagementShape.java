package io.culvert.engine.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reduces management replies to their structure so Culvert's can be compared with stock OpenVPN's: dates, IPv4
 * addresses and numbers become placeholders; separators, prefixes, headers and literal words stay. Culvert answers
 * in OpenVPN 2.6's wording; {@link #ofStock} first reads a 2.7 peer's two changes back into it. Stateless.
 */
final class ManagementShape {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** 2.7 names the unknown command: "ERROR: unknown command [foo], enter 'help' for more options". */
    private static final Pattern UNKNOWN_COMMAND_27 = Pattern.compile("^ERROR: unknown command \\[[^]]*], ");
    /** 2.7 puts the protocol before a client's real address: "udp4:10.201.1.2:45176", "at address udp:10.201.1.2:5". */
    private static final Pattern PROTO_PREFIX_27 =
            Pattern.compile("(?<=^|[,\\t]|address )(?:udp|tcp)[46]?(?:-server)?:(?=\\d{1,3}\\.)");

    private ManagementShape() {}

    static String of(String line) {
        if (line.startsWith("TITLE,") || line.startsWith("TITLE\t")) {
            return line.substring(0, 6) + "<title>";
        }
        if (line.startsWith("OpenVPN Version: ")) {
            return "OpenVPN Version: <title>";
        }
        String s = DATE.matcher(line).replaceAll("<date>");
        s = IPV4.matcher(s).replaceAll("<ip>");
        return NUMBER.matcher(s).replaceAll("#");
    }

    static List<String> of(List<String> lines) {
        return lines.stream().map(ManagementShape::of).toList();
    }

    /**
     * The shape of a stock peer's reply ({@link StockOpenvpn#peer()}); from 2.7, the two wording changes above are read
     * as 2.6 wrote them, so that every other difference still shows.
     */
    static List<String> ofStock(List<String> lines) {
        if (!StockOpenvpn.peerIs27OrLater()) {
            return of(lines);
        }
        return of(lines.stream().map(l -> UNKNOWN_COMMAND_27.matcher(l).replaceFirst("ERROR: unknown command, "))
                .map(l -> PROTO_PREFIX_27.matcher(l).replaceAll("")).toList());
    }

    /** Number of fields when split on {@code sep}, keeping empty trailing fields. */
    static int fields(String line, String sep) {
        return line.split(Pattern.quote(sep), -1).length;
    }
}
