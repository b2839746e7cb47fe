package io.culvert.cli;

import io.culvert.engine.common.JsonText;
import io.culvert.engine.config.Directives;
import io.culvert.engine.config.report.ImportReport.Item;
import io.culvert.engine.config.report.ImportReport.Problem;
import io.culvert.engine.config.report.ImportReport.Status;
import io.culvert.engine.config.report.ImportReport;
import java.util.Locale;

/** Renders an {@link ImportReport} as a text table or as JSON. Stateless and thread-safe. */
final class ImportReportPrinter {

    private ImportReportPrinter() {}

    /** A readable table: a summary line, one row per directive, then the errors. */
    static String table(String file, ImportReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(": ").append(r.role() == Directives.Role.SERVER ? "server config, " : "client profile, ")
                .append(r.items().size()).append(" directives");
        for (Status s : Status.values()) {
            sb.append(", ").append(r.count(s)).append(' ').append(s.name().toLowerCase(Locale.ROOT));
        }
        sb.append('\n');
        int width = Math.max(9, r.items().stream().mapToInt(i -> i.directive().length() + (i.inConnection() ? 2 : 0))
                .max().orElse(0));
        if (!r.items().isEmpty()) {
            sb.append(String.format("%5s  %-" + width + "s  %-13s %s%n", "LINE", "DIRECTIVE", "STATUS", "NOTE"));
        }
        boolean anyWarning = false;
        for (Item i : r.items()) {
            anyWarning |= i.warning();
            String name = (i.inConnection() ? "  " : "") + i.directive();
            String status = i.status() + (i.warning() ? " *" : "");
            sb.append(String.format("%5d  %-" + width + "s  %-13s %s", i.line(), name, status,
                    i.note() == null ? "" : i.note()).stripTrailing()).append('\n');
        }
        if (anyWarning) {
            sb.append("  * Culvert behaves differently from stock OpenVPN here; check that the profile does not rely on it\n");
        }
        if (r.usable()) {
            sb.append("usable: yes\n");
        } else {
            sb.append("usable: no (").append(r.problems().size()).append(r.problems().size() == 1 ? " error)\n" : " errors)\n");
            for (Problem p : r.problems()) {
                sb.append("  ").append(p.line() > 0 ? "line " + p.line() + ": " : "")
                        .append(p.directive() != null ? "'" + p.directive() + "': " : "")
                        .append(p.reason()).append(": ").append(p.detail()).append('\n');
            }
        }
        return sb.toString();
    }

    /** One JSON object with the file, role, usability, counts, items and problems. */
    static String json(String file, ImportReport r) {
        StringBuilder sb = new StringBuilder("{\"file\":").append(str(file))
                .append(",\"role\":").append(str(r.role().name().toLowerCase(Locale.ROOT)))
                .append(",\"usable\":").append(r.usable()).append(",\"counts\":{");
        for (Status s : Status.values()) {
            sb.append(s.ordinal() == 0 ? "" : ",").append(str(s.name())).append(':').append(r.count(s));
        }
        sb.append("},\"items\":[");
        for (int k = 0; k < r.items().size(); k++) {
            Item i = r.items().get(k);
            sb.append(k == 0 ? "" : ",").append("{\"line\":").append(i.line())
                    .append(",\"directive\":").append(str(i.directive()))
                    .append(",\"status\":").append(str(i.status().name()))
                    .append(",\"note\":").append(str(i.note()))
                    .append(",\"warning\":").append(i.warning())
                    .append(",\"inConnection\":").append(i.inConnection()).append('}');
        }
        sb.append("],\"problems\":[");
        for (int k = 0; k < r.problems().size(); k++) {
            Problem p = r.problems().get(k);
            sb.append(k == 0 ? "" : ",").append("{\"line\":").append(p.line())
                    .append(",\"directive\":").append(str(p.directive()))
                    .append(",\"reason\":").append(str(p.reason().name()))
                    .append(",\"detail\":").append(str(p.detail())).append('}');
        }
        return sb.append("]}\n").toString();
    }

    /** A JSON string literal, or null. */
    static String str(String s) {
        return JsonText.quote(s);
    }
}
