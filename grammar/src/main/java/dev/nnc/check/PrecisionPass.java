package dev.nnc.check;

import dev.nnc.ast.PrecisionDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Precision;

/** {@code precision float} or {@code precision double} (the default). */
final class PrecisionPass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    if (context.precisionStatement.isEmpty()) {
      return;
    }
    PrecisionDecl statement = context.precisionStatement.get();
    switch (statement.kind().text()) {
      case "float" -> context.precision = Precision.FLOAT;
      case "double" -> context.precision = Precision.DOUBLE;
      default ->
          context.report(
              DiagnosticCode.UNKNOWN_PRECISION, statement.kind().span(), statement.kind().text());
    }
  }
}
