package io.culvert.cli;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.report.ImportReport;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The report half of {@code culvert profile import}: what Culvert does with each directive of a profile or
 * server config. Stateless.
 */
final class ProfileImportCommand {
    private ProfileImportCommand() {}

    /**
     * Prints the report as a table or JSON and returns it.
     *
     * @param role client or server, or null to detect it from the file
     */
    static ImportReport report(Path file, Role role, boolean ignoreUnknown, boolean json, PrintStream out) {
        ImportReport report = ImportReport.load(file, role, ignoreUnknown);
        out.print(json ? ImportReportPrinter.json(file.toString(), report) : ImportReportPrinter.table(file.toString(), report));
        return report;
    }
}
