package dev.nnc.cli;

import com.palantir.javapoet.JavaFile;
import dev.nnc.emit.Generation;
import dev.nnc.emit.NetworkGenerator;
import dev.nnc.ir.Model;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.UserInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate the Java class of a .nn file.",
    footer = {"", "Example:", "  nnc generate samples/xor/xor.nn -d out/ -p com.acme.nets"})
final class GenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Option(names = {"-d", "--directory"}, paramLabel = "DIR", defaultValue = ".",
      description = "output source root; the class goes under its package folders (default: ${DEFAULT-VALUE})")
  Path outputDirectory;

  @Option(names = {"-p", "--package"}, paramLabel = "PACKAGE", defaultValue = "",
      description = "Java package of the generated class (default: none)")
  String packageName;

  @Override
  public Integer call() {
    if (!packageName.isEmpty() && !javax.lang.model.SourceVersion.isName(packageName)) {
      throw new UserInputException("nnc: '" + packageName + "' is not a valid Java package name");
    }
    Model model = CompiledModel.check(file);
    JavaFile javaFile = new NetworkGenerator().generate(model, packageName);
    try {
      Path written = Generation.writeTo(javaFile, outputDirectory);
      spec.commandLine().getOut().println("wrote " + written);
    } catch (IOException e) {
      throw new UserInputException("nnc: cannot write into " + outputDirectory + ": " + e.getMessage());
    }
    return Main.OK;
  }
}
