package dev.nnc.cli;

import dev.nnc.pipeline.UserInputException;
import dev.nnc.runtime.NetworkSpec;
import dev.nnc.runtime.TensorSpec;
import dev.nnc.runtime.data.DataFormatException;
import dev.nnc.runtime.data.NpyArray;
import dev.nnc.runtime.data.Npz;
import dev.nnc.runtime.data.Preprocessing;
import dev.nnc.runtime.data.Weights;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights from an {@code .npz} into a network's flat parameter vector, under nnc's member names
 * ({@code hidden.W}, {@code hidden.b}, as {@code nnc train} writes them) or under other names: a
 * {@code --map W1=hidden.W,b1=hidden.b} renames members, {@code --map positional} takes the
 * archive's first members in order for the tensors in order (numpy's {@code np.savez(f, W1, b1, W2,
 * b2)}). Matrices are (in, out), as {@code X @ W + b} with examples as rows.
 */
final class WeightMapping {
  /** Parameters and the fitted preprocessing, ready for {@code setParameters}. */
  record Loaded(double[] parameters, Preprocessing preprocessing) {}

  private WeightMapping() {}

  /**
   * @param map null (the member names are the tensor names), {@code positional}, or {@code
   *     MEMBER=TENSOR,…}
   */
  static Loaded load(Path file, NetworkSpec spec, String map) {
    String fileName = file.getFileName().toString();
    Map<String, NpyArray> arrays;
    try {
      arrays = Npz.read(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException("nnc: --weights " + file + ": no such file");
    } catch (IOException e) {
      throw new UserInputException("nnc: cannot read " + file + ": " + e.getMessage());
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: " + e.getMessage());
    }
    Map<String, String> memberOf = memberNames(map, spec, arrays, fileName);
    double[] flat = new double[spec.parameterCount()];
    Map<String, NpyArray> renamed = new LinkedHashMap<>(arrays);
    for (TensorSpec tensor : spec.tensors()) {
      String member = memberOf.getOrDefault(tensor.name(), tensor.name());
      NpyArray array = arrays.get(member);
      if (array == null) {
        throw new UserInputException(
            "nnc: "
                + fileName
                + ": no member '"
                + member
                + "' for the"
                + " tensor "
                + tensor.name()
                + " (members: "
                + String.join(", ", arrays.keySet())
                + ")"
                + (map == null
                    ? "; name them with --map MEMBER=" + tensor.name() + ",… or --map positional"
                    : ""));
      }
      int[] expected = Weights.shape(tensor);
      if (!Arrays.equals(array.shape(), expected)) {
        String which =
            member.equals(tensor.name())
                ? "member '" + member + "'"
                : "member '" + member + "' (for " + tensor.name() + ")";
        throw new UserInputException(
            "nnc: "
                + fileName
                + ": "
                + which
                + ": shape "
                + array.shapeText()
                + ", the network needs "
                + shapeText(expected)
                + " for "
                + tensor.name()
                + " (layer '"
                + tensor.layer()
                + "', line "
                + tensor.line()
                + ")");
      }
      System.arraycopy(array.data(), 0, flat, tensor.offset(), tensor.size());
      renamed.put(tensor.name(), array);
    }
    memberOf.forEach((target, member) -> renamed.put(target, arrays.get(member)));
    try {
      return new Loaded(flat, Preprocessing.fromStats(spec, renamed));
    } catch (DataFormatException e) {
      throw new UserInputException("nnc: " + fileName + ": " + e.getMessage());
    }
  }

  /** Tensor name → member name, from {@code --map}. */
  private static Map<String, String> memberNames(
      String map, NetworkSpec spec, Map<String, NpyArray> arrays, String fileName) {
    Map<String, String> memberOf = new LinkedHashMap<>();
    if (map == null) {
      return memberOf;
    }
    List<String> tensorNames = new ArrayList<>();
    for (TensorSpec tensor : spec.tensors()) {
      tensorNames.add(tensor.name());
    }
    if (map.strip().equals("positional")) {
      List<String> members = new ArrayList<>(arrays.keySet());
      if (members.size() < tensorNames.size()) {
        throw new UserInputException(
            "nnc: "
                + fileName
                + ": --map positional needs "
                + tensorNames.size()
                + " members ("
                + String.join(", ", tensorNames)
                + "), the archive has "
                + members.size()
                + " ("
                + String.join(", ", members)
                + ")");
      }
      for (int i = 0; i < tensorNames.size(); i++) {
        memberOf.put(tensorNames.get(i), members.get(i));
      }
      return memberOf;
    }
    for (String pair : map.split(",")) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new UserInputException(
            "nnc: --map: '"
                + pair.strip()
                + "' is not MEMBER=TENSOR"
                + " (e.g. --map W1="
                + tensorNames.get(0)
                + ",…), nor 'positional'");
      }
      String member = parts[0].strip();
      String tensor = parts[1].strip();
      boolean statistic = tensor.endsWith(".mean") || tensor.endsWith(".std");
      if (!tensorNames.contains(tensor) && !statistic) {
        throw new UserInputException(
            "nnc: --map "
                + member
                + "="
                + tensor
                + ": the network has no"
                + " tensor "
                + tensor
                + " (tensors: "
                + String.join(", ", tensorNames)
                + ")");
      }
      if (!arrays.containsKey(member)) {
        throw new UserInputException(
            "nnc: --map "
                + member
                + "="
                + tensor
                + ": "
                + fileName
                + " has no member '"
                + member
                + "' (members: "
                + String.join(", ", arrays.keySet())
                + ")");
      }
      memberOf.put(tensor, member);
    }
    return memberOf;
  }

  /** {@code (2, 4)}, {@code (4,)}, as numpy prints shapes. */
  private static String shapeText(int[] shape) {
    return NpyArray.ofDoubles(new double[Arrays.stream(shape).reduce(1, (a, b) -> a * b)], shape)
        .shapeText();
  }
}
