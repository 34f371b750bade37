package dev.nnc.cli;

import dev.nnc.pipeline.CompiledModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Print the forward and backward equations of every layer with the shape of every factor:"
          + " the loss's δ first, then each layer from the last to the first, the penalty's"
          + " terms, and why the weight gradient is a product with a transpose.",
      "The generated class carries the same equations as comments (see nnc generate)."
    },
    footer = {"", "Example:", "  nnc explain samples/xor/xor.nn"})
final class ExplainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL.nn", description = "the network file")
  Path file;

  @Override
  public Integer call() {
    Inputs.requireFile(spec, file, "MODEL.nn");
    return run(file, spec.commandLine().getOut());
  }

  /** The command once its argument is known good (also {@link QuickDispatch}'s way in). */
  static int run(Path file, PrintWriter out) {
    out.print(Explanation.of(CompiledModel.check(file)));
    return Main.OK;
  }
}
