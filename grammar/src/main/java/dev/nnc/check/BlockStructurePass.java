package dev.nnc.check;

import dev.nnc.ast.BlockDecl;
import dev.nnc.ast.NetworkDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.ast.UnknownStatementDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.Span;
import java.util.Optional;

/**
 * One network block, at most one train block, every statement known and in its own block (the
 * grammar lets both blocks hold any statement so that this pass can say where it belongs).
 */
final class BlockStructurePass implements CheckPass {
  static final String NETWORK_STATEMENTS =
      "precision, input, conv, maxpool, avgpool, flatten, dense, target, label, loss, penalty";
  static final String TRAIN_STATEMENTS = "optimizer, batch, epochs, steps, seed, data, validate";

  @Override
  public void run(CheckContext context) {
    for (BlockDecl block : context.file.blocks()) {
      if (block instanceof NetworkDecl network) {
        if (context.network != null) {
          context.report(
              DiagnosticCode.DUPLICATE_BLOCK, CheckContext.head(network.span(), 7), "network");
        } else {
          context.network = network;
        }
      } else if (block instanceof TrainDecl train) {
        if (context.train.isPresent()) {
          context.report(
              DiagnosticCode.DUPLICATE_BLOCK, CheckContext.head(train.span(), 5), "train");
        } else {
          context.train = Optional.of(train);
        }
      }
      boolean inNetwork = block instanceof NetworkDecl;
      for (StatementDecl statement : block.statements()) {
        checkStatement(context, statement, inNetwork);
      }
    }
    if (context.network == null) {
      // Point at what the file holds instead (a train block), or at its start when empty.
      Span where =
          context.file.blocks().isEmpty()
              ? new Span(1, 1, 1)
              : CheckContext.head(context.file.blocks().get(0).span(), 5);
      context.report(DiagnosticCode.NO_NETWORK, where);
    }
  }

  private static void checkStatement(
      CheckContext context, StatementDecl statement, boolean inNetwork) {
    if (statement instanceof UnknownStatementDecl unknown) {
      context.report(
          DiagnosticCode.UNKNOWN_STATEMENT,
          unknown.kind().span(),
          unknown.kind().text(),
          inNetwork ? NETWORK_STATEMENTS : TRAIN_STATEMENTS);
    } else if (statement.belongsInNetwork() != inNetwork) {
      context.report(
          DiagnosticCode.MISPLACED_STATEMENT,
          CheckContext.keywordSpan(statement),
          statement.keyword(),
          inNetwork ? "train" : "network");
    }
  }
}
