package dev.nnc.check;

import dev.nnc.ast.ArgumentDecl;
import dev.nnc.ast.NameDecl;
import dev.nnc.ast.NumberDecl;
import dev.nnc.ast.OptimizerDecl;
import dev.nnc.ast.StatementDecl;
import dev.nnc.ast.TrainDecl;
import dev.nnc.diag.DiagnosticCode;
import dev.nnc.ir.Optimizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The train block's optimizer: a known kind, only its own arguments, each at most once, the
 * required one present ({@code lr} for sgd and adam, {@code iterations} for cg and lbfgs), every
 * value in its range. {@code sgd} with {@code momentum} becomes {@link Optimizer.Momentum}.
 */
final class OptimizerPass implements CheckPass {
  /** What one optimizer accepts; {@code arguments} are listed in messages in this order. */
  private record Kind(String name, List<String> arguments, String required, String example) {}

  private static final Map<String, Kind> KINDS =
      Map.of(
          "sgd", new Kind("sgd", List.of("lr", "decay", "momentum"), "lr", "sgd(lr = 0.1)"),
          "adam",
              new Kind(
                  "adam",
                  List.of("lr", "beta1", "beta2", "epsilon", "decay"),
                  "lr",
                  "adam(lr = 1e-3)"),
          "cg", new Kind("cg", List.of("iterations"), "iterations", "cg(iterations = 50)"),
          "lbfgs",
              new Kind(
                  "lbfgs",
                  List.of("iterations", "memory"),
                  "iterations",
                  "lbfgs(iterations = 50)"));

  private static final double ADAM_BETA1 = 0.9;
  private static final double ADAM_BETA2 = 0.999;
  private static final double ADAM_EPSILON = 1e-8;
  private static final int LBFGS_MEMORY = 10;

  @Override
  public void run(CheckContext context) {
    if (context.train.isEmpty()) {
      return;
    }
    TrainDecl train = context.train.get();
    OptimizerDecl optimizer = null;
    for (StatementDecl statement : train.statements()) {
      if (statement instanceof OptimizerDecl o) {
        optimizer = o;
      }
    }
    if (optimizer == null) {
      context.report(DiagnosticCode.MISSING_OPTIMIZER, CheckContext.head(train.span(), 5));
      return;
    }
    Kind kind = KINDS.get(optimizer.kind().text());
    if (kind == null) {
      context.report(
          DiagnosticCode.UNKNOWN_OPTIMIZER, optimizer.kind().span(), optimizer.kind().text());
      return;
    }
    Map<String, ArgumentDecl> arguments = arguments(context, kind, optimizer);
    if (context.diagnostics.hasErrors()) {
      return;
    }
    if (!arguments.containsKey(kind.required())) {
      String what = kind.required().equals("lr") ? "a learning rate" : "a number of iterations";
      context.report(
          DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
          optimizer.kind().span(),
          kind.name() + " needs " + what + ": " + kind.example());
    }
    for (ArgumentDecl argument : arguments.values()) {
      String name = argument.name().text();
      if (!name.equals("decay") && !argument.qualifiers().isEmpty()) {
        NameDecl qualifier = argument.qualifiers().get(0);
        context.report(
            DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
            qualifier.span(),
            "unexpected '"
                + qualifier.text()
                + "' after "
                + (name.equals("lr") ? "the learning rate" : name));
      }
    }
    if (context.diagnostics.hasErrors()) {
      return;
    }
    Optional<ArgumentDecl> lr = Optional.ofNullable(arguments.get("lr"));
    lr.ifPresent(argument -> context.learningRate = learningRate(context, argument));
    Optional.ofNullable(arguments.get("decay"))
        .ifPresent(argument -> context.decay = decay(context, argument));
    switch (kind.name()) {
      case "sgd" -> {
        Optional<Double> momentum =
            value(context, arguments, "momentum", "in (0, 1)", m -> m > 0 && m < 1);
        context.optimizer =
            momentum.<Optimizer>map(Optimizer.Momentum::new).orElse(new Optimizer.Sgd());
      }
      case "adam" -> {
        DoublePredicate beta = b -> b >= 0 && b < 1;
        double beta1 = value(context, arguments, "beta1", "in [0, 1)", beta).orElse(ADAM_BETA1);
        double beta2 = value(context, arguments, "beta2", "in [0, 1)", beta).orElse(ADAM_BETA2);
        double epsilon =
            value(
                    context,
                    arguments,
                    "epsilon",
                    "positive and finite",
                    e -> e > 0 && Double.isFinite(e))
                .orElse(ADAM_EPSILON);
        context.optimizer = new Optimizer.Adam(beta1, beta2, epsilon);
      }
      case "cg" -> {
        context.iterations = count(context, arguments.get("iterations")).orElse(0);
        context.optimizer = new Optimizer.ConjugateGradient();
      }
      default -> { // lbfgs
        context.iterations = count(context, arguments.get("iterations")).orElse(0);
        int memory =
            Optional.ofNullable(arguments.get("memory"))
                .flatMap(argument -> count(context, argument))
                .orElse(LBFGS_MEMORY);
        context.optimizer = new Optimizer.Lbfgs(memory);
      }
    }
  }

  /** The arguments by name; reports unknown and repeated ones. */
  private static Map<String, ArgumentDecl> arguments(
      CheckContext context, Kind kind, OptimizerDecl optimizer) {
    Map<String, ArgumentDecl> found = new LinkedHashMap<>();
    for (ArgumentDecl argument : optimizer.arguments()) {
      String given = argument.name().text();
      if (!kind.arguments().contains(given)) {
        context.report(
            DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
            argument.name().span(),
            kind.name() + " has no argument '" + given + "'; it takes " + list(kind.arguments()));
      } else if (found.putIfAbsent(given, argument) != null) {
        context.report(
            DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
            argument.name().span(),
            "'" + given + "' is given twice");
      }
    }
    return found;
  }

  /** {@code lr, decay and momentum}. */
  private static String list(List<String> words) {
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " and "
        + words.get(words.size() - 1);
  }

  private static double learningRate(CheckContext context, ArgumentDecl lr) {
    double value = lr.value().value();
    if (!(value > 0) || !Double.isFinite(value)) {
      context.report(DiagnosticCode.BAD_LEARNING_RATE, lr.value().span(), lr.value().text());
      return 1;
    }
    return value;
  }

  private static double decay(CheckContext context, ArgumentDecl decay) {
    List<String> qualifiers = decay.qualifiers().stream().map(NameDecl::text).toList();
    if (!qualifiers.equals(List.of("per", "epoch"))) {
      context.report(
          DiagnosticCode.BAD_OPTIMIZER_ARGUMENT,
          decay.span(),
          "write the decay schedule as 'decay = " + decay.value().text() + " per epoch'");
      return 1;
    }
    double value = decay.value().value();
    if (!(value > 0 && value <= 1)) {
      context.report(DiagnosticCode.BAD_DECAY, decay.value().span(), decay.value().text());
      return 1;
    }
    return value;
  }

  /** The argument's value if given and {@code valid}; reports NN309 ("must be {@code range}"). */
  private static Optional<Double> value(
      CheckContext context,
      Map<String, ArgumentDecl> arguments,
      String name,
      String range,
      DoublePredicate valid) {
    ArgumentDecl argument = arguments.get(name);
    if (argument == null) {
      return Optional.empty();
    }
    NumberDecl number = argument.value();
    if (!valid.test(number.value())) {
      context.report(DiagnosticCode.BAD_OPTIMIZER_VALUE, number.span(), name, range, number.text());
      return Optional.empty();
    }
    return Optional.of(number.value());
  }

  /** {@code iterations} and {@code memory}: positive integers that fit an int. */
  private static Optional<Integer> count(CheckContext context, ArgumentDecl argument) {
    String name = argument.name().text();
    NumberDecl number = argument.value();
    return Numbers.positiveInt(
        context,
        number,
        name,
        () ->
            context.report(
                DiagnosticCode.BAD_OPTIMIZER_VALUE,
                number.span(),
                name,
                "a positive integer",
                number.text()));
  }
}
