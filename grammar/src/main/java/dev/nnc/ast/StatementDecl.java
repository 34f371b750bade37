package dev.nnc.ast;

import dev.nnc.diag.Span;

/**
 * One statement of either block. The grammar accepts every statement in both blocks; the checker
 * says where each belongs ({@link #keyword()} names it in messages).
 */
public sealed interface StatementDecl
    permits PrecisionDecl,
        InputDecl,
        DenseDecl,
        TargetDecl,
        LabelDecl,
        LossDecl,
        PenaltyDecl,
        OptimizerDecl,
        BatchDecl,
        EpochsDecl,
        StepsDecl,
        SeedDecl,
        DataDecl,
        DataFileDecl,
        ValidateDecl,
        ValidateSplitDecl,
        StopDecl,
        UnknownStatementDecl,
        ConvDecl,
        PoolDecl,
        FlattenDecl {
  Span span();

  /** The word that starts the statement ({@code dense}, {@code optimizer}, …). */
  String keyword();

  /** Whether the statement belongs in the network block (else in the train block). */
  default boolean belongsInNetwork() {
    return switch (keyword()) {
      case "precision", "input", "dense", "target", "label", "loss", "penalty" -> true;
      case "conv", "maxpool", "avgpool", "flatten" -> true;
      default -> false;
    };
  }
}
