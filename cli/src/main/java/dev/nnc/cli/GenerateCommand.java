package dev.nnc.cli;

import dev.nnc.pipeline.GenerateConfig;
import dev.nnc.pipeline.SourceGeneration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nnc generate}: fills a {@link GenerateConfig} and runs {@link SourceGeneration#generate},
 * the same call the Maven plugin makes.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate the Java class of .nn files (only those whose output is missing or stale).",
      "With --inference --weights, generate an inference-only class that needs nothing but the"
          + " JDK, and its weights resource <Name>.npz beside it."
    },
    footer = {
      "",
      "Examples:",
      "  nnc generate samples/xor/xor.nn -d out/ -p com.acme.nets",
      "  nnc generate --source-root src/main/nn -d target/generated-sources/nn",
      "  nnc generate samples/xor/xor.nn --inference --weights runs/Xor.npz -d out/"
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "MODEL.nn",
      description = "the network files (default with --source-root: every .nn file under it)")
  List<Path> files = List.of();

  @Option(
      names = {"-d", "--directory"},
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "output source root; the class goes under its package folders (default: ${DEFAULT-VALUE})")
  Path outputDirectory;

  @Option(
      names = {"-p", "--package"},
      paramLabel = "PACKAGE",
      defaultValue = "",
      description =
          "Java package of the generated classes; with --source-root, the prefix of the"
              + " sub-folders' package (default: none)")
  String packageName;

  @Option(
      names = "--source-root",
      paramLabel = "DIR",
      description =
          "the sub-folders between DIR and a .nn file become its package, as in the"
              + " Maven plugin; files outside DIR are refused")
  Path sourceRoot;

  @Option(
      names = {"-f", "--force"},
      description = "regenerate even outputs that are up to date")
  boolean force;

  @Option(
      names = "--inference",
      description =
          "generate the inference-only class (JDK only) instead of the trainer; needs --weights")
  boolean inference;

  @Option(
      names = "--weights",
      paramLabel = "MODEL.npz",
      description = "trained weights (as written by nnc train --out) for --inference")
  Path weights;

  @Override
  public Integer call() {
    if (files.isEmpty() && sourceRoot == null) {
      throw new ParameterException(spec.commandLine(), "give a .nn file or --source-root DIR");
    }
    if (inference != (weights != null)) {
      throw new ParameterException(spec.commandLine(), "--inference and --weights go together");
    }
    GenerateConfig config =
        new GenerateConfig(
            Optional.ofNullable(sourceRoot),
            files,
            outputDirectory,
            packageName,
            force,
            Optional.ofNullable(weights),
            false);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SourceGeneration.Result result = SourceGeneration.generate(config, err::println);
    for (Path path : result.written()) {
      out.println("wrote " + path);
    }
    for (Path path : result.upToDate()) {
      out.println("up to date: " + path);
    }
    if (!result.ok()) {
      err.println("nnc: " + result.errors() + (result.errors() == 1 ? " error" : " errors"));
      return Main.BAD_INPUT;
    }
    return Main.OK;
  }
}
