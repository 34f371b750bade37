package dev.nnc.check;

import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataFileDecl;
import dev.nnc.ast.DataSourceDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.SourceArgumentDecl;
import dev.nnc.ast.SourceArgumentDecl.FlagDecl;
import dev.nnc.ast.SourceArgumentDecl.MemberDecl;
import dev.nnc.ast.SourceArgumentDecl.PathDecl;
import dev.nnc.ast.SourceOptionDecl;
import dev.nnc.ast.SourceOptionDecl.RowsDecl;
import dev.nnc.ast.SourceOptionDecl.ScaleDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.StringDecl;
import dev.nnc.ast.ValidateDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.diag.Span;
import dev.nnc.ir.DataSource;
import dev.nnc.ir.Target;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code data idx|npz|csv(…)} and {@code validate …}: a known kind with the arguments it takes,
 * non-empty paths, npz members mapped to exactly the input and the target, a positive finite scale
 * (idx only), a positive row limit; idx only for labels, with a warning when the input cannot be a
 * square image. {@code validate} needs training data. What needs the files themselves (do they
 * exist, are the widths right) is checked when they are loaded.
 */
final class DataSourcePass implements CheckPass {
  private static final String KINDS = "idx, npz, csv";

  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    DataFileDecl data = null;
    ValidateDecl validate = null;
    boolean inline = false;
    for (StatementDecl statement : context.train.get().statements()) {
      if (statement instanceof DataFileDecl d) {
        data = d;
      } else if (statement instanceof ValidateDecl v) {
        validate = v;
      } else if (statement instanceof DataDecl) {
        inline = true;
      }
    }
    if (validate != null && data == null && !inline) {
      context.report(DiagnosticCode.VALIDATE_WITHOUT_DATA, CheckContext.keywordSpan(validate));
      return;
    }
    if (data != null) {
      context.dataSource = source(context, data.source());
    }
    if (validate != null) {
      context.validation = source(context, validate.source());
    }
  }

  private static Optional<DataSource> source(CheckContext context, DataSourceDecl source) {
    int errorsBefore = context.diagnostics.errorCount();
    String kind = source.kind().text();
    if (!List.of("idx", "npz", "csv").contains(kind)) {
      context.report(DiagnosticCode.UNKNOWN_DATA_SOURCE, source.kind().span(), kind, KINDS);
      return Optional.empty();
    }
    if (!argumentsFit(context, source)) {
      return Optional.empty();
    }
    for (SourceArgumentDecl argument : source.arguments()) {
      if (argument instanceof PathDecl path) {
        notEmpty(context, path.path(), "a path");
      } else if (argument instanceof MemberDecl member) {
        notEmpty(context, member.member(), "a member name");
      }
    }
    Map<String, SourceOptionDecl> options = new HashMap<>();
    for (SourceOptionDecl option : source.options()) {
      if (option instanceof ScaleDecl && !kind.equals("idx")) {
        context.report(
            DiagnosticCode.BAD_SOURCE_ARGUMENTS,
            CheckContext.head(option.span(), 5),
            "scale applies to idx pixels only; scale " + kind + " data before saving it");
      } else if (options.putIfAbsent(option.keyword(), option) != null) {
        context.report(
            DiagnosticCode.REPEATED_STATEMENT,
            CheckContext.head(option.span(), option.keyword().length()),
            option.keyword());
      }
    }
    if (context.diagnostics.errorCount() > errorsBefore) {
      return Optional.empty();
    }
    int rows = 0;
    if (options.get("rows") instanceof RowsDecl rowsOption) {
      NumberDecl count = rowsOption.count();
      rows =
          Numbers.positiveInt(
                  context,
                  count,
                  "rows",
                  () ->
                      context.report(
                          DiagnosticCode.BAD_SOURCE_VALUE,
                          count.span(),
                          "rows",
                          "a positive integer",
                          count.text()))
              .orElse(0);
    }
    double scale = 1;
    if (options.get("scale") instanceof ScaleDecl scaleOption) {
      scale = scale(context, scaleOption);
    }
    List<SourceArgumentDecl> arguments = source.arguments();
    String file = ((PathDecl) arguments.get(0)).path().value();
    Optional<DataSource> result =
        switch (kind) {
          case "idx" -> idx(context, source, file, scale, rows);
          case "npz" -> npz(context, source, file, rows);
          default ->
              Optional.of(new DataSource.Csv(file, arguments.size() == 2, rows, source.span()));
        };
    return context.diagnostics.errorCount() > errorsBefore ? Optional.empty() : result;
  }

  /**
   * idx: two paths; npz: a path and two members; csv: a path and an optional {@code header}.
   * Reports NN322 at the first argument out of place, or at the kind when one is missing.
   */
  private static boolean argumentsFit(CheckContext context, DataSourceDecl source) {
    String kind = source.kind().text();
    List<SourceArgumentDecl> arguments = source.arguments();
    String expected;
    int least;
    int most;
    switch (kind) {
      case "idx" -> {
        expected = "idx takes two paths, images then labels: idx(\"IMAGES\", \"LABELS\")";
        least = 2;
        most = 2;
      }
      case "npz" -> {
        String input = context.input.name().text();
        String target = context.target.name();
        expected =
            String.format(
                "npz takes a path and the members for '%s' and '%s': npz(\"FILE\", %s = \"…\","
                    + " %s = \"…\")",
                input, target, input, target);
        least = 3;
        most = 3;
      }
      default -> {
        expected = "csv takes a path and optionally header: csv(\"FILE\") or csv(\"FILE\", header)";
        least = 1;
        most = 2;
      }
    }
    for (int i = 0; i < arguments.size(); i++) {
      SourceArgumentDecl argument = arguments.get(i);
      boolean fits =
          i < most
              && switch (kind) {
                case "idx" -> argument instanceof PathDecl;
                case "npz" ->
                    i == 0 ? argument instanceof PathDecl : argument instanceof MemberDecl;
                default ->
                    i == 0
                        ? argument instanceof PathDecl
                        : argument instanceof FlagDecl flag && flag.name().text().equals("header");
              };
      if (!fits) {
        context.report(DiagnosticCode.BAD_SOURCE_ARGUMENTS, argument.span(), expected);
        return false;
      }
    }
    if (arguments.size() < least) {
      context.report(DiagnosticCode.BAD_SOURCE_ARGUMENTS, source.kind().span(), expected);
      return false;
    }
    return true;
  }

  private static void notEmpty(CheckContext context, StringDecl string, String what) {
    if (string.value().isEmpty()) {
      context.report(DiagnosticCode.EMPTY_PATH, string.span(), what);
    }
  }

  private static double scale(CheckContext context, ScaleDecl scale) {
    double value = scale.numerator().value();
    String written = scale.numerator().text();
    if (scale.denominator().isPresent()) {
      value /= scale.denominator().get().value();
      written += "/" + scale.denominator().get().text();
    }
    if (!(value > 0) || !Double.isFinite(value)) {
      // From the number to the option's end: "1/0", not "scale".
      Span option = scale.span();
      int column = scale.numerator().span().column();
      Span number = new Span(option.line(), column, option.column() + option.length() - column);
      context.report(
          DiagnosticCode.BAD_SOURCE_VALUE, number, "scale", "positive and finite", written);
      return 1;
    }
    return value;
  }

  private static Optional<DataSource> idx(
      CheckContext context, DataSourceDecl source, String images, double scale, int rows) {
    Target target = context.target;
    if (target.kind() == Target.Kind.DENSE) {
      context.report(
          DiagnosticCode.IDX_DENSE_TARGET, source.kind().span(), target.name(), target.name());
      return Optional.empty();
    }
    int width = context.inputRawWidth;
    long side = Math.round(Math.sqrt(width));
    if (side * side != width) {
      context.report(
          DiagnosticCode.IDX_NOT_SQUARE, source.kind().span(), context.input.name().text(), width);
    }
    String labels = ((PathDecl) source.arguments().get(1)).path().value();
    return Optional.of(new DataSource.Idx(images, labels, scale, rows, source.span()));
  }

  /** The two members name the input and the target (or label), one each, in either order. */
  private static Optional<DataSource> npz(
      CheckContext context, DataSourceDecl source, String file, int rows) {
    String input = context.input.name().text();
    Target target = context.target;
    String targetWords =
        (target.kind() == Target.Kind.LABELS ? "the label '" : "the target '")
            + target.name()
            + "'";
    Map<String, String> members = new HashMap<>();
    Set<String> reported = new HashSet<>();
    for (SourceArgumentDecl argument : source.arguments().subList(1, 3)) {
      MemberDecl member = (MemberDecl) argument;
      String name = member.name().text();
      if (!name.equals(input) && !name.equals(target.name())) {
        context.report(
            DiagnosticCode.BAD_NPZ_MEMBER,
            member.name().span(),
            String.format(
                "npz maps '%s', which is neither the input '%s' nor %s", name, input, targetWords));
      } else if (members.putIfAbsent(name, member.member().value()) != null && reported.add(name)) {
        context.report(
            DiagnosticCode.BAD_NPZ_MEMBER,
            member.name().span(),
            String.format(
                "npz maps '%s' twice; map '%s' and '%s' once each", name, input, target.name()));
      }
    }
    if (members.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(
        new DataSource.Npz(
            file, members.get(input), members.get(target.name()), rows, source.span()));
  }
}
