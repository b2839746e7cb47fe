package io.culvert.cli;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.ImportReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code culvert profile import FILE [--json] [--role client|server] [--ignore-unknown]}: prints the
 * import report of a profile or server config. Exit codes: 0 usable, 1 errors, 2 usage error. Stateless.
 */
final class ProfileImportCommand {
    private static final String USAGE =
            "usage: culvert profile import FILE [--json] [--role client|server] [--ignore-unknown]";

    private ProfileImportCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !args.getFirst().equals("import")) {
            err.println(args.isEmpty() ? USAGE : "culvert profile: unknown subcommand '" + args.getFirst() + "'\n" + USAGE);
            return 2;
        }
        Path file = null;
        Role role = null;
        boolean json = false;
        boolean ignoreUnknown = false;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--ignore-unknown" -> ignoreUnknown = true;
                case "--role" -> {
                    String r = i + 1 < args.size() ? args.get(++i) : "";
                    if (!r.equals("client") && !r.equals("server")) {
                        err.println("culvert profile import: --role needs client or server\n" + USAGE);
                        return 2;
                    }
                    role = r.equals("client") ? Role.CLIENT : Role.SERVER;
                }
                default -> {
                    if (a.startsWith("--") || file != null) {
                        err.println("culvert profile import: unexpected argument '" + a + "'\n" + USAGE);
                        return 2;
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null) {
            err.println("culvert profile import: FILE is required\n" + USAGE);
            return 2;
        }
        ImportReport report = ImportReport.load(file, role, ignoreUnknown);
        out.print(json ? ImportReportPrinter.json(file.toString(), report) : ImportReportPrinter.table(file.toString(), report));
        return report.usable() ? 0 : 1;
    }
}
