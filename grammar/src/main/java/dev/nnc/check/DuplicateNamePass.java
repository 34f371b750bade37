package dev.nnc.check;

import dev.nnc.ast.NameDecl;
import dev.nnc.diag.DiagnosticCode;
import java.util.HashMap;
import java.util.Map;

/**
 * No two declarations share a name: the input, layers, target and label form one namespace (each
 * becomes a field or constant of the generated class); dimension names form another.
 */
final class DuplicateNamePass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    Map<String, Declarations.Declared> seen = new HashMap<>();
    for (Declarations.Declared declared : Declarations.values(context.network)) {
      Declarations.Declared earlier = seen.putIfAbsent(declared.name().text(), declared);
      if (earlier != null) {
        context.report(
            DiagnosticCode.DUPLICATE_NAME,
            declared.name().span(),
            declared.name().text(),
            earlier.what(),
            earlier.name().span().line());
      }
    }
    Map<String, NameDecl> dimensions = new HashMap<>();
    for (NameDecl dimension : Declarations.dimensions(context.network)) {
      NameDecl earlier = dimensions.putIfAbsent(dimension.text(), dimension);
      if (earlier != null) {
        context.report(
            DiagnosticCode.DUPLICATE_DIMENSION,
            dimension.span(),
            dimension.text(),
            earlier.span().line());
      }
    }
  }
}
