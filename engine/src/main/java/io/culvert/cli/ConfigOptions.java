package io.culvert.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options {@code culvert client} and {@code culvert server} share: the config file and how strict to read it. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "the OpenVPN ${COMMAND-NAME} config (required)")
    Path config;

    @Option(names = "--ignore-unknown",
            description = "accept directives Culvert does not know, with a warning, instead of refusing")
    boolean ignoreUnknown;

    /** The config file, or a usage error of {@code spec}'s command when it is missing. */
    Path requireConfig(CommandSpec spec) {
        if (config == null) {
            throw Cli.usage(spec, "--config FILE is required");
        }
        return config;
    }
}
