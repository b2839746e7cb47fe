package io.culvert.engine.it;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Reduces management replies to their structure so Culvert's can be compared with stock OpenVPN's: dates, IPv4
 * addresses and numbers become placeholders; separators, prefixes, headers and literal words stay. Stateless.
 */
final class ManagementShape {
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

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

    /** Number of fields when split on {@code sep}, keeping empty trailing fields. */
    static int fields(String line, String sep) {
        return line.split(Pattern.quote(sep), -1).length;
    }
}
