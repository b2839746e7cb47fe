package io.culvert.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code culvert fleet}, {@code profile}, {@code pki}): alone it prints its
 * usage and exits {@link ExitCodes#USAGE}. Its options are for its {@link Subcommand}s, which read them from
 * {@link Subcommand#parent}.
 */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** One subcommand of group {@code P}: its spec, its group, and the one way it reports a failure. */
    abstract static class Subcommand<P extends CommandGroup> implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        P parent;

        /** Prints "culvert GROUP NAME: what failed" on stderr; returns {@link ExitCodes#FAILED}. */
        int failed(Exception e) {
            Cli.root(spec).err.println(spec.qualifiedName() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
