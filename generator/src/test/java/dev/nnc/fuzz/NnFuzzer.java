package dev.nnc.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Seeded hostile {@code .nn} inputs: the valid files of the corpus (the samples and the generator's
 * seed networks) damaged token by token (deletion, insertion, swap, duplication), plus numbers that
 * are huge, negative or whose products overflow an int, deep nesting, very long names, non-ASCII
 * text and plain random characters. Case {@code i} of seed {@code s} is always the same text, so a
 * failure is reproduced from its number.
 */
public final class NnFuzzer {
  private static final Pattern TOKEN =
      Pattern.compile(
          "//[^\\n]*|\"(?:\\\\.|[^\"\\\\\\n])*\"|2m\\b|[A-Za-z_][A-Za-z0-9_]*|[0-9.]+(?:[eE][-+]?[0-9]+)?|\\S");

  private static final List<String> KEYWORDS =
      List.of(
          "network",
          "train",
          "input",
          "dense",
          "target",
          "label",
          "loss",
          "penalty",
          "optimizer",
          "batch",
          "epochs",
          "steps",
          "seed",
          "data",
          "inline",
          "init",
          "bias",
          "nobias",
          "onehot",
          "powers",
          "standardize",
          "reduce",
          "full",
          "shuffle",
          "with",
          "replacement",
          "precision",
          "float",
          "double",
          "relu",
          "sigmoid",
          "softmax",
          "tanh",
          "identity",
          "xavier",
          "he",
          "normal",
          "uniform",
          "constant",
          "sgd",
          "adam",
          "cg",
          "lbfgs",
          "momentum",
          "decay",
          "per",
          "epoch",
          "lr",
          "validate",
          "idx",
          "npz",
          "csv",
          "header",
          "rows",
          "scale",
          "ddof",
          "iterations",
          "memory",
          "beta1",
          "beta2",
          "epsilon",
          "squared_error",
          "softmax_cross_entropy",
          "binary_cross_entropy",
          "sum",
          "half_sum",
          "mean",
          "batch_mean",
          "half_batch_mean",
          "l2",
          "2m",
          "class",
          "int",
          "new",
          "this",
          "null");

  private static final List<String> PUNCTUATION =
      List.of("{", "}", "[", "]", "(", ")", ",", "=", "-", "/", "\"", "\n", "\t", ";", "#", ".");

  /** Numbers chosen to overflow: ints, longs, products, doubles, and the sign. */
  private static final List<String> NUMBERS =
      List.of(
          "0",
          "-0",
          "-1",
          "1",
          "2",
          "-7",
          "46341",
          "65536",
          "65537",
          "100000",
          "2147483647",
          "2147483648",
          "-2147483648",
          "4294967296",
          "9223372036854775807",
          "9223372036854775808",
          "99999999999999999999999999",
          "1e9",
          "1e10",
          "1e308",
          "1e309",
          "-1e309",
          "1e-400",
          "4.9e-324",
          "0.5",
          "1.5",
          "2.5e3",
          "NaN",
          "Infinity",
          "1/0",
          "0/0",
          "1/255",
          "-1/3",
          "0x10",
          "1_000",
          "1e",
          ".5",
          "5.",
          "1.2.3",
          "--1");

  private static final List<String> UNICODE =
      List.of(
          "é", "Ω", "名前", "𝑥", "hé", "\u0301a", "\u200B", "\u202E", "\uFEFF", "\uD800", "\uDFFF",
          "Ⅻ", "ǅ", "١٢٣", "\u0000", "\u2028", "ｘ", "ß");

  private final List<String> corpus;

  public NnFuzzer(List<String> corpus) {
    if (corpus.isEmpty()) {
      throw new IllegalArgumentException("empty corpus");
    }
    this.corpus = List.copyOf(corpus);
  }

  /**
   * The corpus: {@code samples/*}{@code /*.nn} and {@code generator/src/test/resources/seeds/*.nn},
   * found from {@code moduleDir} (the generator module, the tests' working directory).
   */
  public static NnFuzzer fromRepository(Path moduleDir) {
    Path root = moduleDir.toAbsolutePath().getParent();
    List<String> texts = new ArrayList<>();
    try {
      for (Path folder :
          List.of(root.resolve("samples"), moduleDir.resolve("src/test/resources/seeds"))) {
        try (Stream<Path> files = Files.walk(folder, 2)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".nn")).sorted().toList()) {
            texts.add(Files.readString(file, StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NnFuzzer(texts);
  }

  public int corpusSize() {
    return corpus.size();
  }

  /** What produced a case, for the report. */
  public enum Kind {
    TOKENS,
    NUMBERS,
    OVERFLOWING_SHAPES,
    NESTING,
    LONG_NAMES,
    UNICODE,
    RANDOM_TEXT
  }

  /** One input and how it was made. */
  public record Case(long number, Kind kind, String text) {}

  /** Case {@code number} of the stream seeded by {@code seed}. */
  public Case generate(long seed, long number) {
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + number);
    String original = corpus.get(random.nextInt(corpus.size()));
    int pick = random.nextInt(100);
    if (pick < 50) {
      return new Case(number, Kind.TOKENS, mutateTokens(original, random));
    } else if (pick < 65) {
      return new Case(number, Kind.NUMBERS, replaceNumbers(original, random));
    } else if (pick < 75) {
      return new Case(number, Kind.OVERFLOWING_SHAPES, overflowShapes(original, random));
    } else if (pick < 80) {
      return new Case(number, Kind.NESTING, nest(original, random));
    } else if (pick < 85) {
      return new Case(number, Kind.LONG_NAMES, longNames(original, random));
    } else if (pick < 93) {
      return new Case(number, Kind.UNICODE, unicode(original, random));
    }
    return new Case(number, Kind.RANDOM_TEXT, randomText(original, random));
  }

  static List<String> tokens(String source) {
    List<String> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(source);
    while (matcher.find()) {
      String token = matcher.group();
      tokens.add(token.startsWith("//") ? token + "\n" : token);
    }
    return tokens;
  }

  private static String join(List<String> tokens, Random random) {
    // mostly the original layout's spirit (one space), sometimes newlines between tokens
    return String.join(random.nextInt(4) == 0 ? "\n" : " ", tokens);
  }

  private String mutateTokens(String source, Random random) {
    List<String> tokens = tokens(source);
    int mutations = 1 + (random.nextInt(3) == 0 ? random.nextInt(6) : 0);
    for (int m = 0; m < mutations && !tokens.isEmpty(); m++) {
      int at = random.nextInt(tokens.size());
      switch (random.nextInt(5)) {
        case 0 -> tokens.remove(at);
        case 1 -> tokens.add(at, poolToken(random));
        case 2 -> {
          int other = random.nextInt(tokens.size());
          String swapped = tokens.get(at);
          tokens.set(at, tokens.get(other));
          tokens.set(other, swapped);
        }
        case 3 -> {
          int end = Math.min(tokens.size(), at + 1 + random.nextInt(12));
          tokens.addAll(end, new ArrayList<>(tokens.subList(at, end)));
        }
        default -> tokens.set(at, poolToken(random));
      }
    }
    return join(tokens, random);
  }

  private static String poolToken(Random random) {
    return switch (random.nextInt(4)) {
      case 0, 1 -> KEYWORDS.get(random.nextInt(KEYWORDS.size()));
      case 2 -> PUNCTUATION.get(random.nextInt(PUNCTUATION.size()));
      default -> NUMBERS.get(random.nextInt(NUMBERS.size()));
    };
  }

  private static String replaceNumbers(String source, Random random) {
    List<String> tokens = tokens(source);
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).matches("[0-9.]+(?:[eE][-+]?[0-9]+)?") && random.nextInt(3) == 0) {
        tokens.set(i, NUMBERS.get(random.nextInt(NUMBERS.size())));
      }
    }
    return join(tokens, random);
  }

  /** Every width becomes one of a few large sizes, so in × out (or their sum) overflows an int. */
  private static String overflowShapes(String source, Random random) {
    List<String> sizes = List.of("46341", "65536", "65537", "100000", "2147483647", "1048576", "3");
    List<String> tokens = tokens(source);
    for (int i = 1; i < tokens.size(); i++) {
      boolean width = tokens.get(i - 1).equals("[") || tokens.get(i - 1).equals("=");
      if (width && tokens.get(i).matches("[0-9]+") && random.nextInt(4) != 0) {
        tokens.set(i, sizes.get(random.nextInt(sizes.size())));
      } else if (tokens.get(i).equals("batch") && random.nextInt(3) == 0) {
        tokens.add(i + 1, sizes.get(random.nextInt(sizes.size())));
      }
    }
    return join(tokens, random);
  }

  private static String nest(String source, Random random) {
    List<String> tokens = tokens(source);
    int depth = 1 + random.nextInt(random.nextBoolean() ? 50 : 20000);
    String open = List.of("[", "(", "{").get(random.nextInt(3));
    String close = open.equals("[") ? "]" : open.equals("(") ? ")" : "}";
    String inner = random.nextBoolean() ? "1" : "1, 2";
    String nested =
        open.repeat(depth)
            + inner
            + (random.nextBoolean() ? close.repeat(depth) : close.repeat(depth / 2));
    tokens.add(random.nextInt(tokens.size() + 1), nested);
    return join(tokens, random);
  }

  private static String longNames(String source, Random random) {
    List<String> tokens = tokens(source);
    String name =
        (random.nextBoolean() ? "n" : "N") + "a_".repeat(random.nextInt(50_000) + 1) + "z";
    for (int i = 0; i < tokens.size(); i++) {
      // rename one declared name everywhere, so the long name reaches the checker and generator
      if (tokens.get(i).matches("[A-Za-z][A-Za-z0-9_]*")
          && !KEYWORDS.contains(tokens.get(i))
          && random.nextInt(4) == 0) {
        String old = tokens.get(i);
        tokens.replaceAll(t -> t.equals(old) ? name : t);
        break;
      }
    }
    return join(tokens, random);
  }

  private static String unicode(String source, Random random) {
    List<String> tokens = tokens(source);
    int changes = 1 + random.nextInt(3);
    for (int c = 0; c < changes; c++) {
      int at = random.nextInt(tokens.size());
      String text = UNICODE.get(random.nextInt(UNICODE.size()));
      tokens.set(at, random.nextBoolean() ? tokens.get(at) + text : text);
    }
    return join(tokens, random);
  }

  private static String randomText(String source, Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextBoolean()) {
      // a valid prefix, then noise
      text.append(source, 0, random.nextInt(source.length() + 1));
    }
    int length = random.nextInt(400);
    for (int i = 0; i < length; i++) {
      text.append((char) random.nextInt(random.nextBoolean() ? 128 : 0x10000));
    }
    return text.toString();
  }
}
