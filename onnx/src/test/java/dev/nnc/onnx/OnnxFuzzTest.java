package dev.nnc.onnx;

import static com.google.common.truth.Truth.assertWithMessage;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import dev.nnc.check.CompileResult;
import dev.nnc.check.NnCompiler;
import dev.nnc.pipeline.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX reader under hostile files, as the {@code .nn} front end is fuzzed: the fixtures
 * truncated, with bytes flipped or spliced, and mutated through the schema (huge, negative and zero
 * dimensions, missing initializers, rewired inputs that make cycles and branches, wrong element and
 * attribute types, random op types, opsets, names with line breaks). Every case ends within {@value
 * #SECONDS_PER_CASE} s in either a network nnc's checker accepts or one line {@code m.onnx: error:
 * … [NXnnn]}; never another exception, never a hang.
 *
 * <p>3,000 cases by default (a few seconds); {@code -Dnnc.fuzz.onnx.cases=100000} for the long run,
 * {@code -Dnnc.fuzz.seed=S} for another stream. A failing input is written to {@code
 * target/fuzz-failures/}.
 */
class OnnxFuzzTest {
  static final int SECONDS_PER_CASE = 2;
  private static final Pattern ONE_LINE_ERROR =
      Pattern.compile("m\\.onnx: error: [^\\n\\r\\u2028\\u2029]+ \\[NX\\d{3}\\]");

  private static ExecutorService worker;

  @BeforeAll
  static void startWorker() {
    worker =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(null, task, "onnx-fuzz", 1L << 20);
              thread.setDaemon(true);
              return thread;
            });
  }

  @AfterAll
  static void stopWorker() {
    worker.shutdownNow();
  }

  enum Outcome {
    IMPORTED,
    REFUSED
  }

  @Test
  void hostileFilesEndInANetworkOrOneLineError() throws Exception {
    int cases = Integer.getInteger("nnc.fuzz.onnx.cases", 3000);
    long seed = Long.getLong("nnc.fuzz.seed", 20261203L);
    List<byte[]> seeds = new ArrayList<>();
    try (var files = Files.list(OnnxTesting.fixtures())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".onnx")).sorted().toList()) {
        seeds.add(Files.readAllBytes(file));
      }
    }
    // Warm-up, untimed: the first import loads protobuf's and the checker's classes, seconds on a
    // loaded machine; the cases after it take milliseconds.
    for (byte[] fixture : seeds) {
      worker.submit(() -> importOnce(fixture)).get(120, TimeUnit.SECONDS);
    }
    Random random = new Random(seed);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    for (int i = 0; i < cases; i++) {
      byte[] original = seeds.get(random.nextInt(seeds.size()));
      byte[] input = mutate(original, random);
      Future<Outcome> run = worker.submit(() -> importOnce(input));
      Outcome outcome;
      try {
        outcome = run.get(SECONDS_PER_CASE, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        run.cancel(true);
        throw new AssertionError("case " + i + " hung; written to " + save(input, i), e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError(
            "case " + i + " (seed " + seed + ") failed; written to " + save(input, i),
            e.getCause());
      }
      outcomes.merge(outcome, 1, Integer::sum);
    }
    // Both ends are reached: the mutations are not all fatal, and not all harmless.
    assertWithMessage("outcomes " + outcomes).that(outcomes.keySet()).hasSize(2);
  }

  private static Outcome importOnce(byte[] input) {
    ImportedNetwork imported;
    try {
      imported = OnnxImporter.convert(input, "m.onnx", "M");
    } catch (UserInputException e) {
      assertWithMessage("the message").that(e.getMessage()).matches(ONE_LINE_ERROR);
      return Outcome.REFUSED;
    }
    String text = imported.toNn("m.nn", "m.npz", "fuzz");
    CompileResult result = NnCompiler.compile("m.nn", text);
    assertWithMessage(result.formatDiagnostics() + "\n" + text).that(result.ok()).isTrue();
    assertWithMessage("weights").that(imported.weights()).isNotEmpty();
    return Outcome.IMPORTED;
  }

  private static Path save(byte[] input, int index) throws IOException {
    Path folder = Path.of("target", "fuzz-failures");
    Files.createDirectories(folder);
    Path file = folder.resolve("onnx-case-" + index + ".onnx");
    Files.write(file, input);
    return file;
  }

  static byte[] mutate(byte[] original, Random random) throws IOException {
    return switch (random.nextInt(5)) {
      case 0 -> java.util.Arrays.copyOf(original, random.nextInt(original.length));
      case 1 -> {
        byte[] bytes = original.clone();
        for (int k = 1 + random.nextInt(8); k > 0; k--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        yield bytes;
      }
      case 2 -> {
        int from = random.nextInt(original.length);
        int to = Math.min(original.length, from + random.nextInt(64));
        int at = random.nextInt(original.length);
        byte[] bytes = new byte[original.length + (to - from)];
        System.arraycopy(original, 0, bytes, 0, at);
        System.arraycopy(original, from, bytes, at, to - from);
        System.arraycopy(original, at, bytes, at + (to - from), original.length - at);
        yield bytes;
      }
      default -> {
        ModelProto.Builder model = ModelProto.parseFrom(original).toBuilder();
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          mutateSchema(model, random);
        }
        yield model.build().toByteArray();
      }
    };
  }

  private static final long[] DIMS = {
    0, 1, 2, 3, -1, -7, 1L << 31, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 784, 4_000_000_000L
  };

  private static final String[] OPS = {
    "Gemm", "MatMul", "Add", "Relu", "Sigmoid", "Tanh", "Softmax", "Flatten", "Reshape",
    "Identity", "Dropout", "BatchNormalization", "Constant", "Shape", "Conv", "LSTM", "Loop", ""
  };

  private static final String[] NAMES = {"x", "y", "", "a\nb", "\u2028", "0.weight", "\u202e", "z"};

  private static void mutateSchema(ModelProto.Builder model, Random random) {
    GraphProto.Builder graph = model.getGraphBuilder();
    int nodes = graph.getNodeCount();
    int initializers = graph.getInitializerCount();
    switch (random.nextInt(12)) {
      case 0 -> {
        if (initializers > 0) {
          TensorProto.Builder tensor = graph.getInitializerBuilder(random.nextInt(initializers));
          if (tensor.getDimsCount() > 0) {
            tensor.setDims(
                random.nextInt(tensor.getDimsCount()), DIMS[random.nextInt(DIMS.length)]);
          } else {
            tensor.addDims(DIMS[random.nextInt(DIMS.length)]);
          }
        }
      }
      case 1 -> {
        if (initializers > 0) {
          graph.removeInitializer(random.nextInt(initializers));
        }
      }
      case 2 -> {
        // Rewire an input to any value of the graph: cycles, branches, self-loops.
        if (nodes > 0) {
          NodeProto.Builder node = graph.getNodeBuilder(random.nextInt(nodes));
          List<String> values = new ArrayList<>(List.of("x", "y"));
          for (NodeProto other : graph.getNodeList()) {
            values.addAll(other.getOutputList());
          }
          if (node.getInputCount() > 0) {
            node.setInput(
                random.nextInt(node.getInputCount()), values.get(random.nextInt(values.size())));
          }
        }
      }
      case 3 -> {
        if (initializers > 0) {
          graph.getInitializerBuilder(random.nextInt(initializers)).setDataType(random.nextInt(20));
        }
      }
      case 4 -> {
        if (nodes > 0) {
          graph.getNodeBuilder(random.nextInt(nodes)).setOpType(OPS[random.nextInt(OPS.length)]);
        }
      }
      case 5 -> {
        if (nodes > 0) {
          NodeProto.Builder node = graph.getNodeBuilder(random.nextInt(nodes));
          String[] names = {"axis", "transA", "transB", "alpha", "beta", "epsilon", "allowzero"};
          AttributeProto.Builder attribute =
              AttributeProto.newBuilder().setName(names[random.nextInt(names.length)]);
          switch (random.nextInt(3)) {
            case 0 ->
                attribute.setType(AttributeProto.AttributeType.INT).setI(random.nextInt(5) - 2);
            case 1 ->
                attribute
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(random.nextBoolean() ? Float.NaN : random.nextFloat() * 4 - 2);
            default ->
                attribute
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8("?"));
          }
          node.addAttribute(attribute);
        }
      }
      case 6 -> model.getOpsetImportBuilder(0).setVersion(random.nextInt(25));
      case 7 -> {
        if (graph.getInputCount() > 0) {
          var shape =
              graph.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
          if (shape.getDimCount() > 0) {
            shape
                .getDimBuilder(random.nextInt(shape.getDimCount()))
                .setDimValue(DIMS[random.nextInt(DIMS.length)]);
          }
        }
      }
      case 8 -> {
        if (nodes > 0) {
          graph.addNode(graph.getNode(random.nextInt(nodes)));
        }
      }
      case 9 -> {
        if (nodes > 0) {
          graph.getNodeBuilder(random.nextInt(nodes)).setName(NAMES[random.nextInt(NAMES.length)]);
        }
      }
      case 10 -> {
        if (nodes > 0) {
          graph.removeNode(random.nextInt(nodes));
        }
      }
      default -> {
        if (initializers > 0) {
          TensorProto.Builder tensor = graph.getInitializerBuilder(random.nextInt(initializers));
          ByteString raw = tensor.getRawData();
          tensor.setRawData(raw.substring(0, random.nextInt(raw.size() + 1)));
        }
      }
    }
  }
}
