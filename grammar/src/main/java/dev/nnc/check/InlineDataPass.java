package dev.nnc.check;

import dev.nnc.ast.ArrayDecl;
import dev.nnc.ast.ArrayElementDecl;
import dev.nnc.ast.DataDecl;
import dev.nnc.ast.DataEntryDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.InlineData;
import dev.nnc.ir.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code data inline { … }}: rows for exactly the input and the target (or label), each dense entry
 * a list of rows of the declared raw width (a width-1 entry may be a flat list), labels a flat list
 * of integers in [0, classes), and the same number of rows in both.
 */
final class InlineDataPass implements CheckPass {
  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    DataDecl data = null;
    for (StatementDecl statement : context.train.get().statements()) {
      if (statement instanceof DataDecl d) {
        data = d;
      }
    }
    if (data == null) {
      return;
    }
    String inputName = context.input.name().text();
    Target target = context.target;
    Map<String, DataEntryDecl> entries = new HashMap<>();
    for (DataEntryDecl entry : data.entries()) {
      String name = entry.name().text();
      if (!name.equals(inputName) && !name.equals(target.name())) {
        context.report(DiagnosticCode.DATA_UNKNOWN_NAME, entry.name().span(), name);
      } else if (entries.putIfAbsent(name, entry) != null) {
        context.report(DiagnosticCode.DATA_REPEATED_ENTRY, entry.name().span(), name);
      }
    }
    if (context.diagnostics.hasErrors()) {
      return;
    }
    if (!entries.containsKey(inputName)) {
      context.report(
          DiagnosticCode.DATA_MISSING_ENTRY, CheckContext.keywordSpan(data), "input", inputName);
      return;
    }
    if (!entries.containsKey(target.name())) {
      context.report(
          DiagnosticCode.DATA_MISSING_ENTRY,
          CheckContext.keywordSpan(data),
          target.kind() == Target.Kind.LABELS ? "label" : "target",
          target.name());
      return;
    }
    DataEntryDecl inputEntry = entries.get(inputName);
    DataEntryDecl targetEntry = entries.get(target.name());
    Optional<List<List<Double>>> inputs = rows(context, inputEntry, context.inputRawWidth);
    if (inputs.isEmpty()) {
      return;
    }
    List<List<Double>> targetRows = List.of();
    List<Integer> labels = List.of();
    int targetRowCount;
    if (target.kind() == Target.Kind.LABELS) {
      Optional<List<Integer>> parsed = labels(context, targetEntry, target.width());
      if (parsed.isEmpty()) {
        return;
      }
      labels = parsed.get();
      targetRowCount = labels.size();
    } else {
      Optional<List<List<Double>>> parsed = rows(context, targetEntry, target.width());
      if (parsed.isEmpty()) {
        return;
      }
      targetRows = parsed.get();
      targetRowCount = targetRows.size();
    }
    if (inputs.get().size() != targetRowCount) {
      context.report(
          DiagnosticCode.DATA_ROW_COUNT_MISMATCH,
          targetEntry.name().span(),
          target.name(),
          targetRowCount,
          inputName,
          inputs.get().size());
      return;
    }
    context.inlineData = Optional.of(new InlineData(inputs.get(), targetRows, labels, data.span()));
  }

  /** Dense rows of {@code width} values; a width-1 entry may also be a flat list of numbers. */
  private static Optional<List<List<Double>>> rows(
      CheckContext context, DataEntryDecl entry, int width) {
    String name = entry.name().text();
    List<ArrayElementDecl> elements = entry.values().elements();
    if (elements.isEmpty()) {
      context.report(DiagnosticCode.DATA_EMPTY, entry.values().span(), name);
      return Optional.empty();
    }
    List<List<Double>> rows = new ArrayList<>();
    boolean flat = elements.get(0) instanceof NumberDecl;
    if (flat && width != 1) {
      context.report(
          DiagnosticCode.DATA_WIDTH_MISMATCH,
          entry.values().span(),
          String.format(
              "'%s' is %d wide, so its data is a list of rows: %s = [[…], …]", name, width, name));
      return Optional.empty();
    }
    int firstWidth = flat ? 1 : ((ArrayDecl) elements.get(0)).elements().size();
    if (firstWidth != width) {
      context.report(
          DiagnosticCode.DATA_WIDTH_MISMATCH,
          elements.get(0).span(),
          String.format("rows of '%s' must have %d values, got %d", name, width, firstWidth));
      return Optional.empty();
    }
    for (int r = 0; r < elements.size(); r++) {
      ArrayElementDecl element = elements.get(r);
      if (flat != (element instanceof NumberDecl)) {
        context.report(
            DiagnosticCode.DATA_WIDTH_MISMATCH,
            element.span(),
            String.format(
                "row %d of '%s' is %s, unlike row 1", r + 1, name, flat ? "a list" : "a number"));
        return Optional.empty();
      }
      List<ArrayElementDecl> values = flat ? List.of(element) : ((ArrayDecl) element).elements();
      if (values.size() != firstWidth) {
        context.report(
            DiagnosticCode.RAGGED_DATA, element.span(), r + 1, name, values.size(), firstWidth);
        return Optional.empty();
      }
      List<Double> row = new ArrayList<>(values.size());
      for (ArrayElementDecl value : values) {
        if (!(value instanceof NumberDecl number)) {
          context.report(
              DiagnosticCode.DATA_WIDTH_MISMATCH,
              value.span(),
              String.format("row %d of '%s' nests too deep: expected a number here", r + 1, name));
          return Optional.empty();
        }
        OptionalDouble finite = Numbers.finite(context, number);
        if (finite.isEmpty()) {
          return Optional.empty();
        }
        row.add(finite.getAsDouble());
      }
      rows.add(row);
    }
    return Optional.of(rows);
  }

  private static Optional<List<Integer>> labels(
      CheckContext context, DataEntryDecl entry, int classes) {
    String name = entry.name().text();
    List<ArrayElementDecl> elements = entry.values().elements();
    if (elements.isEmpty()) {
      context.report(DiagnosticCode.DATA_EMPTY, entry.values().span(), name);
      return Optional.empty();
    }
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      ArrayElementDecl element = elements.get(i);
      if (!(element instanceof NumberDecl number)) {
        context.report(
            DiagnosticCode.BAD_LABEL,
            element.span(),
            String.format(
                "labels of '%s' are a flat list of integers: %s = [0, 1, …]", name, name));
        return Optional.empty();
      }
      Optional<Long> value = number.longValue();
      if (value.isEmpty() || value.get() < 0 || value.get() >= classes) {
        context.report(
            DiagnosticCode.BAD_LABEL,
            number.span(),
            String.format(
                "label %d of '%s' is %s; labels are integers from 0 to %d",
                i + 1, name, number.text(), classes - 1));
        return Optional.empty();
      }
      labels.add(value.get().intValue());
    }
    return Optional.of(labels);
  }
}
