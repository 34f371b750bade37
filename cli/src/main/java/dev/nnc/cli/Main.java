package dev.nnc.cli;

import dev.nnc.emit.ClassCache;
import dev.nnc.emit.SourceFileGenerator;
import dev.nnc.pipeline.CompiledModel;
import dev.nnc.pipeline.UserInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nnc} command: exit 0 ok, 1 a check or training failed, 2 bad usage or bad input. */
@Command(
    name = "nnc",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Compiles .nn network files into specialised Java trainers.",
    subcommands = {
      CheckCommand.class,
      GenerateCommand.class,
      ExplainCommand.class,
      GradcheckCommand.class,
      TrainCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 a check or a training run failed, 2 bad usage or bad input.",
      "",
      "Example:",
      "  nnc check samples/xor/xor.nn",
      "  nnc train samples/xor/xor.nn --out runs/xor"
    })
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;

  static {
    // XChart draws with AWT: headless before any AWT class loads, so no display is needed.
    System.setProperty("java.awt.headless", "true");
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // a throw of picocli's exception here would make the verifier load picocli with this class
    Inputs.usageError(spec, "missing command");
  }

  public static void main(String[] args) {
    // the command line keeps compiled networks between runs (~/.cache/nnc; NNC_CACHE=off: not)
    ClassCache.forUser().ifPresent(CompiledModel::useCache);
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line with the given streams; returns the exit code. The common forms of check,
   * explain, predict and train run without picocli ({@link QuickDispatch}: a third of the quick
   * commands' start-up, 0.2 s of train's); everything else, and every error of usage, goes through
   * picocli.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    int code;
    try {
      code = QuickDispatch.run(out, err, args);
      if (code == QuickDispatch.NOT_MINE) {
        code = runWithPicocli(out, err, args);
      }
    } catch (OutOfMemoryError e) {
      // what a data file's own check (NN807) did not foresee: no trace, the sizes and the remedy
      err.println(
          String.format(
              java.util.Locale.ROOT,
              "nnc: the Java heap is full (at most %,d MB): the data or the network needs more"
                  + " memory than the JVM may use; give it more with NNC_JAVA_OPTS=-Xmx4g (or"
                  + " more) [NN807]",
              Runtime.getRuntime().maxMemory() >> 20));
      code = BAD_INPUT;
    }
    out.flush();
    err.flush();
    return code;
  }

  static int runWithPicocli(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(Main::usageError);
    commandLine.setExecutionExceptionHandler(
        (exception, cl, parseResult) -> failure(exception, err));
    return commandLine.execute(args);
  }

  /** The exit code of a command that threw {@code exception}, and what it prints. */
  static int failure(Exception exception, PrintWriter err) {
    if (exception instanceof UserInputException) {
      err.println(exception.getMessage());
      return BAD_INPUT;
    }
    if (exception instanceof CheckFailedException) {
      err.println(exception.getMessage());
      return FAILED;
    }
    err.println("nnc: internal error: " + exception);
    for (StackTraceElement frame : exception.getStackTrace()) {
      err.println("    at " + frame);
    }
    return FAILED;
  }

  /**
   * One line naming the problem, the command's synopsis, and where to read more: the full help is a
   * --help away and would bury the line that matters.
   */
  private static int usageError(CommandLine.ParameterException exception, String[] args) {
    CommandLine command = exception.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("nnc: " + exception.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(exception, err);
    CommandLine.Help help = command.getHelp();
    err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
    err.println(
        "Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return BAD_INPUT;
  }

  /**
   * nnc's version as the headers of generated files give it (the build writes it into the
   * generator's resources), and the Java runtime it runs on.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "nnc " + SourceFileGenerator.VERSION,
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
