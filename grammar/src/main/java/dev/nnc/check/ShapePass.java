package dev.nnc.check;

import dev.nnc.ast.ArgumentDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DimensionDecl;
import dev.nnc.ast.InputDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.PowersDecl;
import dev.nnc.ast.StandardizeDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TargetDecl;
import dev.nnc.ast.TransformDecl;
import dev.nnc.diag.DiagnosticCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every width: resolves dimension names (defined earlier in the file), checks each size is a
 * positive integer that fits an {@code int}, applies {@code powers} to the input's width, chains
 * the dense layers (layer k reads layer k − 1, the first reads the input) and refuses any weight
 * matrix with more elements than a Java array can hold. Also checks the column transforms.
 */
final class ShapePass implements CheckPass {
  /** A named dimension, and whether anything refers to it (unused ones get a warning). */
  private static final class Dimension {
    final NameDecl name;
    final int size;
    boolean used;

    Dimension(NameDecl name, int size) {
      this.name = name;
      this.size = size;
    }
  }

  @Override
  public void run(CheckContext context) {
    Map<String, Dimension> dimensions = new LinkedHashMap<>();
    for (StatementDecl statement : context.network.statements()) {
      if (statement instanceof InputDecl input) {
        Optional<Integer> width = resolve(context, dimensions, input.name(), input.dimension());
        if (statement == context.input && width.isPresent() && !input.spatial().isEmpty()) {
          width = imageShape(context, dimensions, input, width.get());
        }
        if (statement == context.input && width.isPresent()) {
          context.inputRawWidth = width.get();
          context.inputDimensionName = input.dimension().name().map(NameDecl::text).orElse(null);
          inputTransforms(context, input);
        }
      } else if (statement instanceof dev.nnc.ast.ConvDecl conv) {
        resolve(context, dimensions, conv.name(), conv.filters())
            .ifPresent(filters -> context.convFilters.put(conv, filters));
      } else if (statement instanceof DenseDecl dense) {
        resolve(context, dimensions, dense.name(), dense.dimension())
            .ifPresent(context.layerWidths::add);
      } else if (statement instanceof TargetDecl target) {
        Optional<Integer> width = resolve(context, dimensions, target.name(), target.dimension());
        if (statement == context.targetStatement && width.isPresent()) {
          context.targetDeclaredWidth = width.get();
          targetTransforms(context, target);
        }
      }
    }
    if (context.diagnostics.hasErrors()) {
      return;
    }
    ConvLayerPass.run(context);
    if (context.diagnostics.hasErrors()) {
      return;
    }
    checkWeightSizes(context);
    for (Dimension dimension : dimensions.values()) {
      if (!dimension.used) {
        context.report(
            DiagnosticCode.UNUSED_DIMENSION, dimension.name.span(), dimension.name.text());
      }
    }
  }

  private static Optional<Integer> resolve(
      CheckContext context,
      Map<String, Dimension> dimensions,
      NameDecl owner,
      DimensionDecl dimension) {
    if (dimension.size().isEmpty()) {
      NameDecl reference = dimension.name().orElseThrow();
      Dimension known = dimensions.get(reference.text());
      if (known == null) {
        context.report(DiagnosticCode.UNKNOWN_DIMENSION, reference.span(), reference.text());
        return Optional.empty();
      }
      known.used = true;
      return Optional.of(known.size);
    }
    NumberDecl size = dimension.size().get();
    Optional<Integer> value =
        Numbers.positiveInt(
            context,
            size,
            "the size of '" + owner.text() + "'",
            () ->
                context.report(
                    DiagnosticCode.NON_POSITIVE_SIZE, size.span(), owner.text(), size.text()));
    if (value.isPresent() && dimension.name().isPresent()) {
      NameDecl name = dimension.name().get();
      dimensions.putIfAbsent(name.text(), new Dimension(name, value.get()));
    }
    return value;
  }

  /**
   * {@code input x[C, H, W]}: resolves H and W, records the shape, and returns C·H·W, the width of
   * a row; or reports NN501 (two or more than three dimensions) or NN401 (too many values).
   */
  private static Optional<Integer> imageShape(
      CheckContext context, Map<String, Dimension> dimensions, InputDecl input, int channels) {
    if (input.spatial().size() != 2) {
      context.report(
          DiagnosticCode.BAD_INPUT_SHAPE,
          input.spatial().get(0).span(),
          input.name().text(),
          input.spatial().size() + 1);
      return Optional.empty();
    }
    Optional<Integer> height = resolve(context, dimensions, input.name(), input.spatial().get(0));
    Optional<Integer> width = resolve(context, dimensions, input.name(), input.spatial().get(1));
    if (height.isEmpty() || width.isEmpty()) {
      return Optional.empty();
    }
    long size = (long) channels * height.get() * width.get();
    if (size > Integer.MAX_VALUE) {
      context.report(
          DiagnosticCode.DIMENSION_TOO_LARGE,
          input.name().span(),
          "the size of input '" + input.name().text() + "'",
          size);
      return Optional.empty();
    }
    context.inputShape = new int[] {channels, height.get(), width.get()};
    for (TransformDecl transform : input.transforms()) {
      if (transform instanceof PowersDecl powers) {
        context.report(
            DiagnosticCode.POWERS_ON_IMAGE,
            CheckContext.head(powers.span(), 6),
            input.name().text(),
            ConvLayerPass.shapeText(context.inputShape));
        return Optional.empty();
      }
    }
    return Optional.of((int) size);
  }

  private static void inputTransforms(CheckContext context, InputDecl input) {
    boolean powersSeen = false;
    boolean standardizeSeen = false;
    for (TransformDecl transform : input.transforms()) {
      if (transform instanceof PowersDecl powers) {
        if (powersSeen) {
          context.report(
              DiagnosticCode.REPEATED_STATEMENT, CheckContext.head(powers.span(), 6), "powers");
          continue;
        }
        powersSeen = true;
        for (NumberDecl power : powers.powers()) {
          Optional<Long> value = power.longValue();
          if (value.isEmpty() || value.get() < 1 || value.get() > Integer.MAX_VALUE) {
            context.report(DiagnosticCode.BAD_POWER, power.span(), power.text());
          } else {
            context.powers.add(value.get().intValue());
          }
        }
      } else if (transform instanceof StandardizeDecl standardize) {
        if (standardizeSeen) {
          context.report(
              DiagnosticCode.REPEATED_STATEMENT,
              CheckContext.head(standardize.span(), 11),
              "standardize");
          continue;
        }
        standardizeSeen = true;
        context.inputStandardizeDdof = ddof(context, standardize);
      }
    }
    long width = (long) context.inputRawWidth * Math.max(1, context.powers.size());
    if (width > Integer.MAX_VALUE) {
      context.report(
          DiagnosticCode.DIMENSION_TOO_LARGE,
          input.name().span(),
          "the width of input '" + input.name().text() + "' after powers",
          width);
    }
    context.inputWidth = (int) Math.min(width, Integer.MAX_VALUE);
  }

  private static void targetTransforms(CheckContext context, TargetDecl target) {
    boolean standardizeSeen = false;
    for (TransformDecl transform : target.transforms()) {
      if (transform instanceof PowersDecl powers) {
        context.report(
            DiagnosticCode.POWERS_ON_TARGET,
            CheckContext.head(powers.span(), 6),
            target.name().text());
      } else if (transform instanceof StandardizeDecl standardize) {
        if (standardizeSeen) {
          context.report(
              DiagnosticCode.REPEATED_STATEMENT,
              CheckContext.head(standardize.span(), 11),
              "standardize");
          continue;
        }
        standardizeSeen = true;
        context.targetStandardizeDdof = ddof(context, standardize);
      }
    }
  }

  /** {@code standardize(ddof = 0)} or {@code (ddof = 1)}: 0 or 1, or −1 after an error. */
  private static int ddof(CheckContext context, StandardizeDecl standardize) {
    List<ArgumentDecl> arguments = standardize.arguments();
    if (arguments.size() != 1
        || !arguments.get(0).name().text().equals("ddof")
        || !arguments.get(0).qualifiers().isEmpty()) {
      context.report(
          DiagnosticCode.BAD_STANDARDIZE,
          arguments.isEmpty() ? standardize.span() : arguments.get(0).span(),
          "standardize takes one argument: standardize(ddof = 0) or standardize(ddof = 1)");
      return -1;
    }
    NumberDecl value = arguments.get(0).value();
    Optional<Long> ddof = value.longValue();
    if (ddof.isEmpty() || (ddof.get() != 0 && ddof.get() != 1)) {
      context.report(
          DiagnosticCode.BAD_STANDARDIZE,
          value.span(),
          "standardize needs ddof = 0 (population std) or ddof = 1 (unbiased), got "
              + value.text());
      return -1;
    }
    return ddof.get().intValue();
  }

  private static void checkWeightSizes(CheckContext context) {
    for (int i = 0; i < context.denseLayers.size(); i++) {
      DenseDecl dense = context.denseLayers.get(i);
      long elements = (long) context.layerInputWidth(i) * context.layerWidths.get(i);
      if (elements > Integer.MAX_VALUE) {
        context.report(
            DiagnosticCode.TENSOR_TOO_LARGE,
            dense.name().span(),
            dense.name().text() + ".W",
            elements);
      }
    }
  }
}
