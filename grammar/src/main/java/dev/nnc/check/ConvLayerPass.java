package dev.nnc.check;

import dev.nnc.ast.ConvDecl;
import dev.nnc.ast.ConvOptionDecl;
import dev.nnc.ast.DenseDecl;
import dev.nnc.ast.DenseOptionDecl;
import dev.nnc.ast.FlattenDecl;
import dev.nnc.ast.InitDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.PoolDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Activation;
import dev.nnc.ir.Conv;
import dev.nnc.ir.Init;
import dev.nnc.ir.Pool;
import dev.nnc.ir.Spatial;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Convolution, pooling and flatten: where they may stand (after an image input, before every dense
 * layer; {@code flatten} between the last of them and the first dense layer), their options (a
 * kernel is required; stride defaults to 1 for conv and to the kernel for pools, as in PyTorch; pad
 * to 0, conv only), and every shape, layer by layer:
 *
 * <pre>
 * conv: H' = ⌊(H + 2·pad − kh) / stride⌋ + 1     pool: H' = ⌊(H − kh) / stride⌋ + 1
 * </pre>
 *
 * <p>A kernel larger than its (padded) input is refused at the kernel. Run by {@link ShapePass}
 * once the input's shape is known, so that the first dense layer's width is the flattened output of
 * the last spatial layer. Codes NN501-NN510.
 */
final class ConvLayerPass {
  private ConvLayerPass() {}

  /** Computes {@code context.spatialLayers}; the input's image shape is resolved already. */
  static void run(CheckContext context) {
    String inputName = context.input.name().text();
    int[] shape = context.inputShape;
    String reading = inputName;
    DenseDecl firstDense = null;
    boolean inputSeen = false;
    StatementDecl lastSpatial = null;
    FlattenDecl flatten = null;
    for (StatementDecl statement : context.network.statements()) {
      if (statement == context.input) {
        inputSeen = true;
      } else if (statement instanceof DenseDecl dense) {
        if (firstDense == null) {
          firstDense = dense;
        }
      } else if (statement instanceof FlattenDecl f) {
        if (flatten != null) {
          context.report(DiagnosticCode.REPEATED_STATEMENT, CheckContext.keywordSpan(f), "flatten");
        } else if (firstDense != null) {
          context.report(DiagnosticCode.MISPLACED_FLATTEN, f.name().span(), f.name().text());
        }
        flatten = f;
      } else if (statement instanceof ConvDecl || statement instanceof PoolDecl) {
        NameDecl name =
            statement instanceof ConvDecl conv ? conv.name() : ((PoolDecl) statement).name();
        String kind = statement.keyword();
        if (!inputSeen) {
          context.report(
              DiagnosticCode.INPUT_NOT_FIRST,
              context.input.name().span(),
              inputName,
              kind + " '" + name.text() + "'");
          return;
        }
        if (firstDense != null) {
          context.report(
              DiagnosticCode.SPATIAL_AFTER_DENSE,
              name.span(),
              kind,
              name.text(),
              firstDense.name().text());
          return;
        }
        if (shape == null) {
          context.report(
              DiagnosticCode.SPATIAL_WITHOUT_IMAGE,
              name.span(),
              kind,
              name.text(),
              inputName,
              inputName);
          return;
        }
        if (flatten != null) {
          context.report(
              DiagnosticCode.MISPLACED_FLATTEN, flatten.name().span(), flatten.name().text());
          return;
        }
        Optional<Spatial> layer =
            statement instanceof ConvDecl conv
                ? conv(context, conv, reading, shape)
                : pool(context, (PoolDecl) statement, reading, shape);
        if (layer.isEmpty()) {
          return;
        }
        Spatial spatial = layer.get();
        context.spatialLayers.add(spatial);
        shape = new int[] {spatial.outChannels(), spatial.outHeight(), spatial.outWidth()};
        reading = spatial.name();
        lastSpatial = statement;
      }
    }
    if (flatten != null && lastSpatial == null && context.inputShape == null) {
      context.report(
          DiagnosticCode.SPATIAL_WITHOUT_IMAGE,
          flatten.name().span(),
          "flatten",
          flatten.name().text(),
          inputName,
          inputName);
    }
  }

  /** kernel, stride and pad as (height, width), and what else the statement gave. */
  private static final class Options {
    int[] kernel;
    int[] stride;
    int[] pad = {0, 0};
    NameDecl activation;
    boolean bias = true;
    Init weightInit = new Init.Xavier();
    Init biasInit = new Init.Constant(0);
    boolean biasInitGiven;
    boolean ok = true;
  }

  private static Options options(
      CheckContext context, List<ConvOptionDecl> given, String kind, String name, boolean conv) {
    Options options = new Options();
    Map<String, ConvOptionDecl> seen = new HashMap<>();
    for (ConvOptionDecl option : given) {
      if (seen.putIfAbsent(option.keyword(), option) != null) {
        context.report(
            DiagnosticCode.REPEATED_LAYER_OPTION,
            CheckContext.head(option.span(), option.keyword().length()),
            option.keyword(),
            kind,
            name);
        options.ok = false;
        continue;
      }
      if (option instanceof ConvOptionDecl.PairDecl pair) {
        boolean isPad = pair.keyword().equals("pad");
        if (isPad && !conv) {
          notAllowed(context, options, option, kind, name, "pad (pooling never pads)");
          continue;
        }
        int[] value = new int[2];
        int count = pair.height() == pair.width() ? 1 : 2; // kernel 5: one number for both
        for (int i = 0; i < count; i++) {
          NumberDecl number = i == 0 ? pair.height() : pair.width();
          Optional<Long> exact = number.longValue();
          long min = isPad ? 0 : 1;
          if (exact.isEmpty() || exact.get() < min || exact.get() > 1_000_000) {
            context.report(
                DiagnosticCode.BAD_WINDOW_VALUE,
                number.span(),
                pair.keyword(),
                kind,
                name,
                isPad ? "an integer from 0 to 1000000" : "an integer from 1 to 1000000",
                number.text());
            options.ok = false;
          } else {
            value[i] = exact.get().intValue();
          }
        }
        if (count == 1) {
          value[1] = value[0];
        }
        switch (pair.keyword()) {
          case "kernel" -> options.kernel = value;
          case "stride" -> options.stride = value;
          default -> options.pad = value;
        }
      } else if (option instanceof ConvOptionDecl.ActivationDecl activation) {
        if (!conv) {
          notAllowed(
              context,
              options,
              option,
              kind,
              name,
              "an activation ('" + activation.activation().text() + "')");
        } else {
          options.activation = activation.activation();
        }
      } else if (option instanceof ConvOptionDecl.DenseDecl dense) {
        if (!conv) {
          notAllowed(context, options, option, kind, name, dense.option().keyword());
          continue;
        }
        DenseOptionDecl inner = dense.option();
        if (inner instanceof DenseOptionDecl.DropoutDecl) {
          notAllowed(
              context,
              options,
              option,
              kind,
              name,
              "dropout (it applies to dense layers: put it on the first dense layer after)");
          continue;
        }
        if (inner instanceof DenseOptionDecl.NoBiasDecl) {
          options.bias = false;
        } else {
          InitDecl init =
              inner instanceof DenseOptionDecl.WeightInitDecl weights
                  ? weights.init()
                  : ((DenseOptionDecl.BiasInitDecl) inner).init();
          if (init instanceof InitDecl.InitValuesDecl) {
            notAllowed(
                context,
                options,
                option,
                kind,
                name,
                "literal init values (use uniform, normal, constant, xavier or he)");
            continue;
          }
          Init value = DenseLayerPass.init(context, init, name, 1, 1, true);
          if (inner instanceof DenseOptionDecl.WeightInitDecl) {
            options.weightInit = value;
          } else {
            options.biasInit = value;
            options.biasInitGiven = true;
          }
        }
      }
    }
    if (!options.bias && options.biasInitGiven) {
      notAllowed(context, options, seen.get("bias init"), kind, name, "a bias init with nobias");
    }
    return options;
  }

  private static void notAllowed(
      CheckContext context,
      Options options,
      ConvOptionDecl option,
      String kind,
      String name,
      String what) {
    context.report(DiagnosticCode.OPTION_NOT_ALLOWED, option.span(), kind, name, what);
    options.ok = false;
  }

  private static Optional<Spatial> conv(
      CheckContext context, ConvDecl decl, String reading, int[] shape) {
    String name = decl.name().text();
    Options options = options(context, decl.options(), "conv", name, true);
    Integer filters = context.convFilters.get(decl);
    if (!options.ok || filters == null) {
      return Optional.empty();
    }
    if (options.kernel == null) {
      context.report(DiagnosticCode.MISSING_KERNEL, decl.name().span(), "conv", name);
      return Optional.empty();
    }
    int[] stride = options.stride == null ? new int[] {1, 1} : options.stride;
    int[] kernel = options.kernel;
    int[] pad = options.pad;
    long paddedHeight = shape[1] + 2L * pad[0];
    long paddedWidth = shape[2] + 2L * pad[1];
    if (kernel[0] > paddedHeight || kernel[1] > paddedWidth) {
      context.report(
          DiagnosticCode.WINDOW_TOO_LARGE,
          kernelSpan(decl.options(), decl.name()),
          kernel[0] + "×" + kernel[1],
          "conv",
          name,
          shapeText(shape),
          pad[0] + pad[1] > 0 ? ", " + paddedHeight + "×" + paddedWidth + " padded" : "");
      return Optional.empty();
    }
    Activation activation = Activation.IDENTITY;
    if (options.activation != null) {
      activation = DenseLayerPass.activation(context, options.activation);
      if (activation == Activation.SOFTMAX) {
        context.report(
            DiagnosticCode.OPTION_NOT_ALLOWED,
            options.activation.span(),
            "conv",
            name,
            "softmax (it normalises a whole row; use it on a dense layer)");
        return Optional.empty();
      }
    }
    int outHeight = (int) ((paddedHeight - kernel[0]) / stride[0] + 1);
    int outWidth = (int) ((paddedWidth - kernel[1]) / stride[1] + 1);
    long kernelValues = (long) filters * shape[0] * kernel[0] * kernel[1];
    long outValues = (long) filters * outHeight * outWidth;
    if (kernelValues > Integer.MAX_VALUE || outValues > Integer.MAX_VALUE) {
      context.report(
          DiagnosticCode.TENSOR_TOO_LARGE,
          decl.name().span(),
          kernelValues > Integer.MAX_VALUE ? name + ".W" : name,
          Math.max(kernelValues, outValues));
      return Optional.empty();
    }
    return Optional.of(
        new Conv(
            name,
            reading,
            shape[0],
            shape[1],
            shape[2],
            filters,
            outHeight,
            outWidth,
            kernel[0],
            kernel[1],
            stride[0],
            stride[1],
            pad[0],
            pad[1],
            options.bias,
            activation,
            options.weightInit,
            options.bias ? options.biasInit : new Init.Constant(0),
            decl.span()));
  }

  private static Optional<Spatial> pool(
      CheckContext context, PoolDecl decl, String reading, int[] shape) {
    String name = decl.name().text();
    String kind = decl.keyword();
    Options options = options(context, decl.options(), kind, name, false);
    if (!options.ok) {
      return Optional.empty();
    }
    if (options.kernel == null) {
      context.report(DiagnosticCode.MISSING_KERNEL, decl.name().span(), kind, name);
      return Optional.empty();
    }
    int[] kernel = options.kernel;
    int[] stride = options.stride == null ? kernel : options.stride;
    if (kernel[0] > shape[1] || kernel[1] > shape[2]) {
      context.report(
          DiagnosticCode.WINDOW_TOO_LARGE,
          kernelSpan(decl.options(), decl.name()),
          kernel[0] + "×" + kernel[1],
          kind,
          name,
          shapeText(shape),
          "");
      return Optional.empty();
    }
    return Optional.of(
        new Pool(
            name,
            reading,
            decl.max(),
            shape[0],
            shape[1],
            shape[2],
            (shape[1] - kernel[0]) / stride[0] + 1,
            (shape[2] - kernel[1]) / stride[1] + 1,
            kernel[0],
            kernel[1],
            stride[0],
            stride[1],
            decl.span()));
  }

  private static dev.nnc.diag.Span kernelSpan(List<ConvOptionDecl> options, NameDecl name) {
    return options.stream()
        .filter(o -> o.keyword().equals("kernel"))
        .findFirst()
        .map(ConvOptionDecl::span)
        .orElse(name.span());
  }

  /** (C, H, W) as {@code 1×28×28}. */
  static String shapeText(int[] shape) {
    return shape[0] + "×" + shape[1] + "×" + shape[2];
  }
}
