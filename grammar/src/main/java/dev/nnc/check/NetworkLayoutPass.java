package dev.nnc.check;

import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataFileDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.LabelDecl;
import dev.nnc.ast.LossDecl;
import dev.nnc.ast.PenaltyDecl;
import dev.nnc.ast.PrecisionDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TargetDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.diag.DiagnosticCode;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How many of each statement: exactly one input, before every layer; at least one dense layer; one
 * target or label; exactly one loss; at most one precision and penalty; in the train block at most
 * one of each statement ({@code data inline} and a data file are both {@code data}).
 */
final class NetworkLayoutPass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    String networkName = context.network.name().text();
    Set<String> seenOnce = new HashSet<>();
    for (StatementDecl statement : context.network.statements()) {
      if (statement instanceof InputDecl input) {
        if (context.input != null) {
          context.report(DiagnosticCode.SECOND_INPUT, input.name().span(), input.name().text());
        } else {
          context.input = input;
          if (!context.denseLayers.isEmpty()) {
            context.report(
                DiagnosticCode.INPUT_NOT_FIRST,
                input.name().span(),
                input.name().text(),
                "dense '" + context.denseLayers.get(0).name().text() + "'");
          }
        }
      } else if (statement instanceof DenseDecl dense) {
        context.denseLayers.add(dense);
      } else if (statement instanceof TargetDecl || statement instanceof LabelDecl) {
        if (context.targetStatement != null) {
          String name =
              statement instanceof TargetDecl target
                  ? target.name().text()
                  : ((LabelDecl) statement).name().text();
          context.report(DiagnosticCode.SECOND_TARGET, CheckContext.keywordSpan(statement), name);
        } else {
          context.targetStatement = statement;
        }
      } else if (statement instanceof LossDecl loss) {
        if (context.loss != null) {
          context.report(DiagnosticCode.SECOND_LOSS, CheckContext.keywordSpan(loss));
        } else {
          context.loss = loss;
        }
      } else if (statement instanceof PenaltyDecl penalty) {
        if (onlyOnce(context, seenOnce, penalty)) {
          context.penaltyStatement = Optional.of(penalty);
        }
      } else if (statement instanceof PrecisionDecl precision) {
        if (onlyOnce(context, seenOnce, precision)) {
          context.precisionStatement = Optional.of(precision);
        }
      }
    }
    if (context.input == null) {
      context.report(DiagnosticCode.MISSING_INPUT, context.network.name().span(), networkName);
    }
    if (context.denseLayers.isEmpty()) {
      context.report(DiagnosticCode.NO_DENSE_LAYER, context.network.name().span(), networkName);
    }
    if (context.loss == null) {
      context.report(DiagnosticCode.MISSING_LOSS, context.network.name().span(), networkName);
    }
    Set<String> seenInTrain = new HashSet<>();
    for (TrainDecl train : context.train.stream().toList()) {
      StatementDecl firstData = null;
      for (StatementDecl statement : train.statements()) {
        boolean isData = statement instanceof DataDecl || statement instanceof DataFileDecl;
        if (isData && firstData != null && firstData.getClass() != statement.getClass()) {
          // Both are 'data' statements, but "given twice" would hide why only one may stay.
          context.report(DiagnosticCode.INLINE_AND_FILE_DATA, CheckContext.keywordSpan(statement));
          continue;
        }
        if (isData && firstData == null) {
          firstData = statement;
        }
        onlyOnce(context, seenInTrain, statement);
      }
    }
  }

  private static boolean onlyOnce(CheckContext context, Set<String> seen, StatementDecl statement) {
    if (!seen.add(statement.keyword())) {
      context.report(
          DiagnosticCode.REPEATED_STATEMENT,
          CheckContext.keywordSpan(statement),
          statement.keyword());
      return false;
    }
    return true;
  }
}
