package io.culvert.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code culvert generate-completion}: the bash (and zsh) completion script for every command, made by picocli. */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Prints the bash completion script of every command and option.",
            "Use it with: source <(culvert generate-completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Cli.root(spec).out.print(AutoComplete.bash("culvert", spec.root().commandLine()));
        Cli.root(spec).out.flush();
        return ExitCodes.OK;
    }
}
