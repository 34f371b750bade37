package dev.nnc.check;

import dev.nnc.ast.FileDecl;
import dev.nnc.diag.DiagnosticCollector;
import dev.nnc.diag.SourceText;
import dev.nnc.ir.Model;
import java.util.List;
import java.util.Optional;

/**
 * Runs the passes in order and stops after the first that reports an error (as ANTLR's
 * SemanticPipeline does): later passes rely on what earlier ones established, and one mistake
 * should not echo through every later check. With no errors, builds the IR.
 */
public final class CheckPipeline {
  private static final List<CheckPass> PASSES =
      List.of(
          new BlockStructurePass(),
          new NameSyntaxPass(),
          new DuplicateNamePass(),
          new NetworkLayoutPass(),
          new PrecisionPass(),
          new ShapePass(),
          new DenseLayerPass(),
          new LossPass(),
          new OptimizerPass(),
          new TrainPass(),
          new DataSourcePass(),
          new TrainingFeaturesPass(),
          new InlineDataPass(),
          new MemoryPass());

  private CheckPipeline() {}

  /** Checks {@code file}; returns the IR when no pass reported an error. */
  public static Optional<Model> check(
      FileDecl file, SourceText source, DiagnosticCollector diagnostics) {
    CheckContext context = new CheckContext(source, file, diagnostics);
    for (CheckPass pass : PASSES) {
      int errorsBefore = diagnostics.errorCount();
      pass.run(context);
      if (diagnostics.errorCount() > errorsBefore) {
        return Optional.empty();
      }
    }
    return Optional.of(IrBuilder.build(context));
  }
}
