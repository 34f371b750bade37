import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code dev/nnc/runtime/kernels/VectorKernels.java}, the Vector API kernels, into the
 * folder given as its argument. The runtime's build runs it (a single-file program: {@code java
 * GenerateVectorKernels.java target/generated-sources/vector}, nothing but a JDK needed) before it
 * compiles that folder with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The kernels are register-blocked tiles: R rows of c times V vectors of a row, for R in 8, 4,
 * 2, 1 and V in 4, 3, 2 with at most 16 accumulators, in double and float, for matmulRows and
 * matmulColumns (whose tiles read b from a packed panel, and whose first slice of k starts from
 * zeros): small methods that differ only in their counts. They are written out by this program
 * rather than by hand so that they cannot drift apart (the JDK writes its own Vector API classes
 * from one template in the same way). KernelsVectorTest checks that every one of them equals the
 * plain Java kernels bit for bit.
 */
public final class GenerateVectorKernels {
  private static final int[] ROWS = {8, 4, 2, 1};
  private static final int[] VECTORS = {4, 3, 2};

  private static final String HEADER =
"""
// Written at build time by runtime/src/build/GenerateVectorKernels.java; edit that, not this.
package dev.nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the Vector API ({@code jdk.incubator.vector}), register-blocked: a tile of
 * {@code c}, eight rows by two vectors (16 accumulators of the 32 vector registers), is kept in
 * registers while the rows {@code b[k]} of a slice of k are added into it, and stored once per
 * slice. Each load of b feeds eight fused multiply-adds (one per row of the tile), each broadcast of
 * a feeds two: 10 loads per 16 FMAs, under the one load per FMA that a core with two 512-bit FMA
 * and two load pipes needs, and each row of b is read from L2 half as often as with four-row tiles.
 * The rows left over (one to seven) take tiles of four, two and one.
 *
 * <p>No tile holds more than 16 accumulators. Eight rows by three vectors (24 accumulators, 28 of
 * the 32 registers live, as BLIS's 24 × 8 dgemm micro-kernel) was 20% faster when C2 kept every
 * accumulator in a register, but whether it did depended on the profile C2 compiled the tile
 * with: in about half of the JVMs the loop reloaded b's vectors or accumulators from the stack
 * (13-46 spill moves per 24 FMAs), the same step took 1.5-1.7× as long in those products, and
 * {@code nnc bench} of the same network gave 1.2-2.2 ms per step from one run to the next
 * (bench/README.md, "Fifth round (issue 14): the spread between JVMs").
 *
 * <p>A row of v vectors is cut into ⌊v/2⌋ groups of two vectors, the first of three when v is odd
 * (13 vectors: 3 + 2 + 2 + 2 + 2 + 2), and a group of three is taken by tiles of at most four rows
 * (12 accumulators); a row of exactly four vectors (25-32 doubles: S3's hidden layer) is
 * one group of four, taken by tiles of four rows (the four-row tile over all four vectors was
 * faster there than two groups of two). A row whose width is not a multiple of the vector
 * ends with a vector that overlaps its neighbour; the two are always in the same group, which
 * reads c before it writes, so the overlapping elements get the same sum twice (no masks, no
 * scalar tail). Rows narrower than one vector go to {@link JavaKernels}, except in {@code
 * matmulColumns} with at least a vector's worth of rows of c, which computes the transpose (a
 * 10-wide float dW of 100 rows: its transpose is 100 wide).
 *
 * <p>k is taken in slices whose rows of b fit in 256 KB ({@link #slice}). {@code matmulRows}
 * takes a group of vectors at a time over every tile of rows of c: the group's columns of the
 * slice of b stay in L2 (or L1) while the tiles stream them.
 * {@code matmulColumns} (directly, or on a deep batch as the transpose of c, chunk by chunk) takes
 * a group of vectors at a time over every tile of rows of c too, but first copies the group's
 * vectors of the slice's rows of b one after another into a per-thread panel ({@code
 * packedRange…}), which stays in L1 while every tile reads it as one stream with one index
 * (instead of two cache lines from each of k rows, 3 KB apart in S2's transposed dW, and with a
 * range check per row): S2's dW 1.4-1.5× faster, S4's 1.1-1.5× (bench/README.md, "Sixth round").
 * {@code matmulColumns} writes c rather than adding to it: its first slice starts the accumulators
 * from zero ({@code packedFirst…}) instead of loading c, and nothing has to zero the whole gradient
 * beforehand; {@code matmulColumnsAdd} loads c in every slice (the chains continued: a one-thread
 * step adds dW block by block).
 *
 * <p>One vector shape only, for doubles and floats alike: with a second shape in the same JVM (say
 * a half-width vector for the tail) the call sites inside {@code DoubleVector.fma} see two vector
 * classes, C2 no longer knows the exact class, and every vector is boxed: 1.2 KB allocated per
 * 100-wide row and 5× slower (measured on JDK 17).
 *
 * <p>Every element gets exactly what {@link JavaKernels} gives it, the same fused multiply-adds in
 * the same order (k ascending; a slice boundary only stores the sum and loads it back), so the
 * results are bit-identical. Vectors never cross a call (only arrays and scalars do) and C2
 * intrinsifies all of each method, so escape analysis removes every vector object: a training
 * step allocates nothing.
 *
 * <p>Written by {@code src/build/GenerateVectorKernels.java} into {@code
 * target/generated-sources/vector} and compiled from there with {@code --add-modules
 * jdk.incubator.vector}; loaded reflectively by {@link KernelLoader} only when that module is
 * present.
 */
final class VectorKernels implements Kernels {
  /** The vector width in bits: {@code -Dnnc.vector.bits}, by default the machine's preferred one. */
  static final String BITS_PROPERTY = "nnc.vector.bits";

  /**
   * Rows of b per slice of k: as many {@code n}-wide rows of {@code bytes}-byte numbers as fit in
   * 256 KB, a quarter of a 1 MB L2 (100-wide rows of doubles: 327).
   */
  static int slice(int n, int bytes) {
    return Math.max(4, 256 * 1024 / (n * bytes));
  }

  /**
   * Batch rows from which {@code matmulColumns} computes the transpose of c (see {@code
   * columnsTransposed}): below it the direct tiles' reads of one cache line from each of k rows of
   * a stay in the first-level caches and TLB (S4's 64 rows: both forms equal; S2's 200 rows: the
   * transpose 1.2× faster in double, 1.75× in float; S3's 5,000 rows: 2.1-2.6×; with the packed
   * panels, S4's 64 rows were not faster transposed either).
   */
  static final int TRANSPOSED_DEPTH = 128;

  /** Columns of a per chunk of the transposed form, in vectors: the chunk's scratch stays in L2. */
  static final int CHUNK_VECTORS = 32;

  private static final VectorSpecies<Double> D =
      DoubleVector.SPECIES_PREFERRED.withShape(
          VectorShape.forBitSize(
              Integer.getInteger(BITS_PROPERTY, DoubleVector.SPECIES_PREFERRED.vectorBitSize())));
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(D.vectorShape());

  /**
   * The classes of D's and F's vectors (Double512Vector, …: final classes), for the casts before
   * each tile's stores. An accumulator that leaves the k loop is a loop phi, which C2's parser types
   * as the declared {@code DoubleVector} (JDK 17 inlines the Vector API's intrinsics only after
   * parsing), so {@code s.intoArray(…)} resolves {@code vspecies()} inside it from the receiver
   * type profile alone; a tile compiled without that profile (its MDO made during the loop of an
   * invocation that then left through OSR, later calls in C1's tier 2, which does not profile, and
   * C2 compiling it from tier 2) keeps the call virtual, the store is not intrinsified and every
   * accumulator is boxed: 16 × 96 bytes per call of the 4 × 4 dW tile, 301,056 bytes per Nielsen
   * step, in about 1 JVM in 8 (bench/README.md, "Seventh round (issue 14): allocation-free in
   * every JVM"). {@code Class.cast} with a constant class is a C2 intrinsic (a checkcast): the cast
   * value has the exact class, so the store is intrinsified without any profile, and once the
   * accumulators are vectors again the check folds away.
   */
  private static final Class<? extends Vector<Double>> DOUBLES = D.vectorType();
  private static final Class<? extends Vector<Float>> FLOATS = F.vectorType();

  /** The double species of these kernels (one vector shape per JVM), for {@link VectorMath}. */
  static VectorSpecies<Double> doubleSpecies() {
    return D;
  }

  /** Refuses (and the loader falls back to plain Java) vectors narrower than 256 bits. */
  VectorKernels() {
    if (D.vectorBitSize() < 256) {
      throw new UnsupportedOperationException("vectors of " + D.vectorBitSize() + " bits");
    }
  }

  /**
   * The offset of vector t of a row of n elements cut into vectors of {@code lanes}: t·lanes, but
   * the last one ends at n (and may overlap its neighbour).
   */
  private static int offset(int t, int vectors, int lanes, int n) {
    return t == vectors - 1 ? n - lanes : t * lanes;
  }

  /** Refuses a panel that is not the length {@code newPanel} gives a k × n matrix. */
  private static void checkPanel(int k, int n, int length, int row) {
    if (length != k * row) {
      throw new IllegalArgumentException(
          "a panel of " + length + " numbers for a " + k + " × " + n + " matrix; newPanel makes " + k * row);
    }
  }
""";

  private static final String FOOTER =
"""
  // exp and the sigmoids lane by lane through VectorMath's chunked passes (its exp as three
  // methods, each compiled alone): the one-loop form (VectorMath.map) kept allocating (boxed
  // vectors, 12-14 KB a call) in some JVMs, which KernelsVectorTest caught.
  @Override
  public void exp(double[] x, double[] y, int n) {
    VectorMath.exp(x, y, n);
  }

  @Override
  public void log1p(double[] x, double[] y, int n) {
    VectorMath.log1p(x, y, n);
  }

  @Override
  public void sigmoid(double[] z, double[] a, int n) {
    VectorMath.sigmoid(z, a, n);
  }

  @Override
  public void sigmoid(double[][] z, double[][] a, int from, int to, int n) {
    VectorMath.sigmoid(z, a, from, to, n);
  }

  @Override
  public void sigmoid(float[] z, float[] a, int n) {
    VectorMath.sigmoid(z, a, n);
  }

  @Override
  public void sigmoid(float[][] z, float[][] a, int from, int to, int n) {
    VectorMath.sigmoid(z, a, from, to, n);
  }

  @Override
  public void softplus(double[][] z, double[][] y, int from, int to, int n) {
    VectorMath.softplus(z, y, from, to, n);
  }

  @Override
  public void softplus(float[][] z, double[][] y, int from, int to, int n) {
    VectorMath.softplus(z, y, from, to, n);
  }

  @Override
  public String description() {
    return "Vector API, " + D.vectorBitSize() + "-bit";
  }

  @Override
  public boolean vectorized() {
    return true;
  }
}
""";

  private final List<String> out = new ArrayList<>();

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java GenerateVectorKernels.java OUTPUT_FOLDER");
      System.exit(2);
    }
    Path file = Path.of(args[0], "dev", "nnc", "runtime", "kernels", "VectorKernels.java");
    String text = new GenerateVectorKernels().source();
    if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      return; // unchanged: keep the time stamp, so nothing recompiles
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  String source() {
    out.add(HEADER.stripTrailing());
    for (String t : List.of("double", "float")) {
      for (String kind : List.of("rows", "columns")) {
        dispatch(kind, t);
        for (int r : ROWS) {
          for (int v : VECTORS) {
            if (r * v > 16) {
              continue; // at most 16 accumulators (see the class comment)
            }
            if (kind.equals("rows")) {
              tile(t, r, v);
              panelTile(t, r, v);
            } else {
              packedTile(t, r, v, false);
              packedTile(t, r, v, true);
            }
          }
        }
      }
    }
    out.add("\n" + FOOTER);
    return String.join("\n", out);
  }

  private void w(String line) {
    out.add(line);
  }

  private void w(String format, Object... args) {
    out.add(String.format(format, args));
  }

  private static String vector(String t) {
    return t.equals("double") ? "DoubleVector" : "FloatVector";
  }

  private static String species(String t) {
    return t.equals("double") ? "D" : "F";
  }

  /** The constant class of t's vectors (see DOUBLES in the header). */
  private static String vectorClass(String t) {
    return t.equals("double") ? "DOUBLES" : "FLOATS";
  }

  /**
   * {@code p[to..]} = the vector of {@code bk} at {@code from}, cast to its exact class before the
   * store (which otherwise needs a type profile: see DOUBLES in the header).
   */
  private void castStore(String ind, String t, String from, String to) {
    w(
        "%s((%s) %s.cast(%s.fromArray(%s, bk, %s))).intoArray(p, %s);",
        ind, vector(t), vectorClass(t), vector(t), species(t), from, to);
  }

  /**
   * The stores of one group of 2-4 vectors of {@code bk} (at o0..o3) to {@code p} from {@code q}
   * on, the third and fourth only when {@code count} is above 2 and 3.
   */
  private void groupStores(
      String ind, String t, String count, String o0, String o1, String o2, String o3) {
    castStore(ind, t, o0, "q");
    castStore(ind, t, o1, "q + lanes");
    w("%sif (%s > 2) {", ind, count);
    castStore(ind + "  ", t, o2, "q + 2 * lanes");
    w("%s}", ind);
    w("%sif (%s > 3) {", ind, count);
    castStore(ind + "  ", t, o3, "q + 3 * lanes");
    w("%s}", ind);
  }

  /** The public kernel: the slices of k, the groups of vectors, the tiles of rows. */
  private void dispatch(String kind, String t) {
    if (kind.equals("columns")) {
      columnsEntry(t);
      columnsTransposed(t);
      packedRange(t, false);
      packedRange(t, true);
      pack(t);
      panel(t);
      return;
    }
    w("");
    w("  @Override");
    w(
        "  public void matmulRows(%s[][] c, %s[][] a, %s[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {",
        t, t, t);
    w("    int lanes = %s.length();", species(t));
    w("    if (n < lanes) {");
    w("      if (n > 0 && rTo - rFrom >= lanes && kTo > kFrom) {");
    w("        rowsNarrow(c, a, b, rFrom, rTo, kFrom, kTo, n);");
    w("      } else {");
    w("        JavaKernels.matmulRowsPlain(c, a, b, rFrom, rTo, kFrom, kTo, n);");
    w("      }");
    w("      return;");
    w("    }");
    groupCounts("    ", "n");
    w("    int slice = slice(n, %d);", bytes(t));
    w("    for (int k0 = kFrom; k0 < kTo; k0 += slice) {");
    w("      int k1 = Math.min(k0 + slice, kTo);");
    // groups outside, row tiles inside: a group's columns of the slice of b stay in cache while
    // every tile of rows streams them
    w("      int t = 0;");
    w("      for (int g = 0; g < groups; g++) {");
    w("        int size = g < wider ? base + 1 : base;");
    groupOverRows("r", "rFrom", "rTo", "        ");
    w("        t += size;");
    w("      }");
    w("    }");
    w("  }");
    rowsNarrow(t);
    panelEntry(t);
  }

  /**
   * matmulRowsPanel, newPanel and packRow: the forward product x·W reading W from its panel (each
   * group's vectors of every row one after another, the whole depth of W group after group), kept
   * by the generated class beside W.
   */
  private void panelEntry(String t) {
    String vec = vector(t);
    String sp = species(t);
    w("");
    w("  /**");
    w(
        "   * Numbers per row of b in its panel: each group's vectors (a group of one vector twice, as its");
    w("   * tiles take it), or 0 for rows narrower than a vector (their product reads b itself).");
    w("   */");
    w("  private static int panelRow%s(int n) {", vec);
    w("    int lanes = %s.length();", sp);
    w("    if (n < lanes) {");
    w("      return 0;");
    w("    }");
    w(
        "    // every group's vectors, a group of one vector twice (the only group of one: n ≤ lanes)");
    w("    return Math.max((n + lanes - 1) / lanes, 2) * lanes;");
    w("  }");
    w("");
    w("  @Override");
    w("  public %s[] newPanel(%s[][] b) {", t, t);
    w("    int n = b.length == 0 ? 0 : b[0].length;");
    w("    %s[] p = new %s[b.length * panelRow%s(n)];", t, t, vec);
    w("    for (int k = 0; k < b.length; k++) {");
    w("      packRow(b, k, p);");
    w("    }");
    w("    return p;");
    w("  }");
    w("");
    w("  @Override");
    w("  public void packRow(%s[][] b, int k, %s[] p) {", t, t);
    w("    %s[] bk = b[k];", t);
    w("    int n = bk.length;");
    w("    int lanes = %s.length();", sp);
    w("    if (n < lanes) {");
    w("      return;");
    w("    }");
    w("    int vectors = (n + lanes - 1) / lanes;");
    w("    checkPanel(b.length, n, p.length, panelRow%s(n));", vec);
    w(
        "    // the groups of groupCounts without its divisions (this runs once per row of W and step):");
    w(
        "    // one of four when there are four, a first one of three when their count is odd (one of one");
    w("    // when it is one), the others of two");
    w("    int size = vectors == 4 ? 4 : vectors == 1 ? 1 : (vectors & 1) == 1 ? 3 : 2;");
    w("    int width = Math.max(size, 2);");
    w("    int q = k * width * lanes;");
    w("    int o0 = offset(0, vectors, lanes, n);");
    groupStores(
        "    ",
        t,
        "size",
        "o0",
        "size > 1 ? offset(1, vectors, lanes, n) : o0",
        "offset(2, vectors, lanes, n)",
        "offset(3, vectors, lanes, n)");
    w("    int start = b.length * width * lanes;");
    w("    int pair = b.length * 2 * lanes;");
    w("    for (int t = size; t < vectors; t += 2) {");
    w("      q = start + k * 2 * lanes;");
    castStore("      ", t, "t * lanes", "q");
    castStore("      ", t, "offset(t + 1, vectors, lanes, n)", "q + lanes");
    w("      start += pair;");
    w("    }");
    w("  }");
    w("");
    w("  @Override");
    w(
        "  public void matmulRowsPanel(%s[][] c, %s[][] a, %s[][] b, %s[] p, int rFrom, int rTo, int kFrom, int kTo, int n) {",
        t, t, t, t);
    w("    int lanes = %s.length();", sp);
    w("    if (n < lanes) {");
    w("      matmulRows(c, a, b, rFrom, rTo, kFrom, kTo, n);");
    w("      return;");
    w("    }");
    w("    if (b.length > 0 && b[0].length != n) {");
    w(
        "      throw new IllegalArgumentException(\"rows of b \" + b[0].length + \" wide, not n = \" + n);");
    w("    }");
    w("    checkPanel(b.length, n, p.length, panelRow%s(n));", vec);
    groupCounts("    ", "n");
    w(
        "    // groups outside, tiles of rows inside, the whole range of k per tile: a group's panel is");
    w(
        "    // one stream that the tiles read at one index (no row of b to load, no range check per k)");
    w("    int start = 0;");
    w("    int t = 0;");
    w("    for (int g = 0; g < groups; g++) {");
    w("      int size = g < wider ? base + 1 : base;");
    offsets("      ", "");
    w("      int width = Math.max(size, 2);");
    w("      int q = start + kFrom * width * lanes;");
    w("      int r = rFrom;");
    for (int size = 4; size >= 2; size--) {
      String args = offsetArguments(size);
      w(
          "      "
              + (size == 4
                  ? "if (width == 4) {"
                  : size == 3 ? "} else if (width == 3) {" : "} else {"));
      int[] tiles = size == 2 ? new int[] {8, 4, 2, 1} : new int[] {4, 2, 1};
      for (int rows : tiles) {
        boolean loop = rows == 8 || rows == 4 && size != 2;
        w("        %s (r + %d <= rTo) {", loop ? "while" : "if", rows);
        w("          panelRows%dx%d(c, a, p, r, kFrom, kTo, q, %s);", rows, size, args);
        w("          r += %d;", rows);
        w("        }");
      }
    }
    w("      }");
    w("      start += b.length * width * lanes;");
    w("      t += size;");
    w("    }");
    w("  }");
  }

  /** matmulRows on rows narrower than a vector: the transpose, vectors along the batch rows. */
  private void rowsNarrow(String t) {
    String cap = t.equals("double") ? "Double" : "Float";
    w("");
    w("  /**");
    w("   * c[r][j] += Σ_k a[r][k]·b[k][j] for rows of c narrower than a vector (a 10-wide float");
    w("   * output layer) and at least a vector's worth of rows r: computed as its transpose,");
    w(
        "   * s[j][r − rFrom] = c[r][j] + Σ_k b[k][j]·aᵀ[k][r − rFrom], with vectors along the rows r,");
    w(
        "   * from copies of aᵀ and cᵀ in this thread's scratch, then copied back. Each element is the");
    w(
        "   * same chain of fused multiply-adds in the same order (k ascending from c's value), so the");
    w("   * bits are the plain kernel's.");
    w("   */");
    w(
        "  private static void rowsNarrow(%s[][] c, %s[][] a, %s[][] b, int rFrom, int rTo, int kFrom, int kTo, int n) {",
        t, t, t);
    w("    int width = rTo - rFrom;");
    w("    %s[][] at = narrow%s(kTo, width);", t, cap);
    w("    %s[][] s = scratch%s(n, width);", t, cap);
    w("    int r = rFrom;");
    w("    // four rows at a time: each row of aᵀ and of cᵀ gets four neighbours per visit");
    w("    for (; r + 4 <= rTo; r += 4) {");
    w("      %s[] a0 = a[r], a1 = a[r + 1], a2 = a[r + 2], a3 = a[r + 3];", t);
    w("      int q = r - rFrom;");
    w("      for (int k = kFrom; k < kTo; k++) {");
    w("        %s[] atk = at[k];", t);
    w("        atk[q] = a0[k];");
    w("        atk[q + 1] = a1[k];");
    w("        atk[q + 2] = a2[k];");
    w("        atk[q + 3] = a3[k];");
    w("      }");
    w("    }");
    w("    for (; r < rTo; r++) {");
    w("      %s[] ar = a[r];", t);
    w("      for (int k = kFrom; k < kTo; k++) {");
    w("        at[k][r - rFrom] = ar[k];");
    w("      }");
    w("    }");
    w("    for (r = rFrom; r < rTo; r++) {");
    w("      %s[] cr = c[r];", t);
    w("      for (int j = 0; j < n; j++) {");
    w("        s[j][r - rFrom] = cr[j];");
    w("      }");
    w("    }");
    w("    packedRangeAdd(s, b, at, 0, n, kFrom, kTo, 0, width, 0);");
    w("    for (r = rFrom; r < rTo; r++) {");
    w("      %s[] cr = c[r];", t);
    w("      for (int j = 0; j < n; j++) {");
    w("        cr[j] = s[j][r - rFrom];");
    w("      }");
    w("    }");
    w("  }");
    w("");
    w(
        "  private static final ThreadLocal<%s[][]> NARROW_%s = new ThreadLocal<>();",
        t, t.toUpperCase());
    w("");
    w(
        "  /** This thread's scratch for aᵀ, at least rows × width, made on its first use (or a larger one). */");
    w("  private static %s[][] narrow%s(int rows, int width) {", t, cap);
    w("    %s[][] s = NARROW_%s.get();", t, t.toUpperCase());
    w("    if (s == null || s.length < rows || s[0].length < width) {");
    w(
        "      s = new %s[Math.max(Math.max(rows, 1), s == null ? 0 : s.length)][Math.max(width, s == null ? 0 : s[0].length)];",
        t);
    w("      NARROW_%s.set(s);", t.toUpperCase());
    w("    }");
    w("    return s;");
    w("  }");
  }

  private static int bytes(String t) {
    return t.equals("double") ? 8 : 4;
  }

  private void groupCounts(String ind, String width) {
    w(ind + "int vectors = (%s + lanes - 1) / lanes;", width);
    w(
        ind
            + "// ⌊v/2⌋ groups of two vectors, the first one of three when v is odd (taken by tiles of");
    w(
        ind
            + "// four rows); four vectors are one group of four, taken by tiles of at most four rows");
    w(ind + "int groups = vectors == 4 ? 1 : Math.max(1, vectors / 2);");
    w(ind + "int base = vectors / groups;");
    w(ind + "int wider = vectors % groups;");
  }

  /**
   * matmulColumns and matmulColumnsAdd: transposed when the batch is deep, else tiles of rows of c
   * directly.
   */
  private void columnsEntry(String t) {
    // two separate bodies, not one method with an add flag: with both kinds hot in one compiled
    // method, C2's inlining budget no longer reached every Vector API call of its tiles, which
    // then boxed (ZeroAllocationTest, after other networks had run in the same JVM)
    for (boolean add : new boolean[] {false, true}) {
      String suffix = add ? "Add" : "";
      w("");
      w("  @Override");
      w(
          "  public void matmulColumns%s(%s[][] c, %s[][] a, %s[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {",
          suffix, t, t, t);
      w("    int lanes = %s.length();", species(t));
      // a row of c narrower than a vector: its transpose is as wide as c has rows, at any depth
      w(
          "    if ((kTo - kFrom >= TRANSPOSED_DEPTH || n < lanes && kTo > kFrom) && iTo - iFrom >= lanes && n > 0) {");
      w("      columnsTransposed%s(c, a, b, iFrom, iTo, kFrom, kTo, n);", suffix);
      w("      return;");
      w("    }");
      w("    if (n < lanes) {");
      w("      JavaKernels.matmulColumnsPlain(c, a, b, iFrom, iTo, kFrom, kTo, n, %s);", add);
      w("      return;");
      w("    }");
      w("    if (kFrom >= kTo) {");
      if (!add) {
        w("      for (int i = iFrom; i < iTo; i++) {");
        w("        Arrays.fill(c[i], 0, n, %s);", t.equals("double") ? "0.0" : "0f");
        w("      }");
      }
      w("      return;");
      w("    }");
      w("    packedRange%s(c, a, b, iFrom, iTo, kFrom, kTo, 0, n, 0);", suffix);
      w("  }");
    }
  }

  /** matmulColumns on a deep batch: cᵀ = bᵀ·a in chunks of columns of a scratch, then copied. */
  private void columnsTransposed(String t) {
    columnsTransposed(t, false);
    columnsTransposed(t, true);
    scratch(t);
  }

  private void columnsTransposed(String t, boolean add) {
    String cap = t.equals("double") ? "Double" : "Float";
    String suffix = add ? "Add" : "";
    w("");
    w("  /**");
    w(
        "   * c[i][j] = Σ_k a[k][i]·b[k][j] computed as its transpose, s[j][i − i0] = Σ_k b[k][j]·a[k][i],");
    w(
        "   * chunk by chunk of columns i, then copied into c. Each element is the same chain of fused");
    w(
        "   * multiply-adds in the same order (k ascending from +0.0; fma(x, y, s) = fma(y, x, s), the");
    w(
        "   * product being exact), so the bits are those of the direct tiles; but the rows of a are");
    w(
        "   * read along their length, not one cache line from each of k rows. With {@code add}, the");
    w("   * chunk of the scratch starts as the transpose of c's (the chains continued).");
    w("   */");
    w(
        "  private static void columnsTransposed%s(%s[][] c, %s[][] a, %s[][] b, int iFrom, int iTo, int kFrom, int kTo, int n) {",
        suffix, t, t, t);
    w("    int lanes = %s.length();", species(t));
    w("    int chunk = CHUNK_VECTORS * lanes;");
    w("    %s[][] s = scratch%s(n, chunk + lanes);", t, cap);
    w("    for (int i0 = iFrom; i0 < iTo; ) {");
    w(
        "      // the last chunk takes what is left when less than a chunk and a vector would remain");
    w("      int i1 = iTo - i0 < chunk + lanes ? iTo : i0 + chunk;");
    if (add) {
      w("      for (int j = 0; j < n; j++) {");
      w("        %s[] sj = s[j];", t);
      w("        for (int i = i0; i < i1; i++) {");
      w("          sj[i - i0] = c[i][j];");
      w("        }");
      w("      }");
    }
    w("      packedRange%s(s, b, a, 0, n, kFrom, kTo, i0, i1, i0);", suffix);
    // four rows of s at a time: each row of c gets four neighbours per visit (S2's dW: the copy
    // took 66 µs of 291 in float, one element per visit, and 28 µs so)
    w("      int j = 0;");
    w("      for (; j + 4 <= n; j += 4) {");
    w("        %s[] s0 = s[j], s1 = s[j + 1], s2 = s[j + 2], s3 = s[j + 3];", t);
    w("        for (int i = i0; i < i1; i++) {");
    w("          %s[] ci = c[i];", t);
    w("          int q = i - i0;");
    w("          ci[j] = s0[q];");
    w("          ci[j + 1] = s1[q];");
    w("          ci[j + 2] = s2[q];");
    w("          ci[j + 3] = s3[q];");
    w("        }");
    w("      }");
    w("      for (; j < n; j++) {");
    w("        %s[] sj = s[j];", t);
    w("        for (int i = i0; i < i1; i++) {");
    w("          c[i][j] = sj[i - i0];");
    w("        }");
    w("      }");
    w("      i0 = i1;");
    w("    }");
    w("  }");
  }

  /** The per-thread scratch of the transposed forms. */
  private void scratch(String t) {
    String cap = t.equals("double") ? "Double" : "Float";
    w("");
    w(
        "  private static final ThreadLocal<%s[][]> SCRATCH_%s = new ThreadLocal<>();",
        t, t.toUpperCase());
    w("");
    w(
        "  /** This thread's scratch of at least rows × width, allocated on its first use (or a larger n). */");
    w("  private static %s[][] scratch%s(int rows, int width) {", t, cap);
    w("    %s[][] s = SCRATCH_%s.get();", t, t.toUpperCase());
    w("    if (s == null || s.length < rows || s[0].length < width) {");
    w(
        "      s = new %s[Math.max(Math.max(rows, 1), s == null ? 0 : s.length)][Math.max(width, s == null ? 0 : s[0].length)];",
        t);
    w("      SCRATCH_%s.set(s);", t.toUpperCase());
    w("    }");
    w("    return s;");
    w("  }");
  }

  /**
   * matmulColumns' range, direct or transposed (c[i][j − shift] = or += Σ_k a[k][i]·b[k][j]):
   * groups of vectors outside, tiles of rows of c inside, each group's vectors of the slice's rows
   * of b first copied one after another into this thread's panel, which every tile of rows then
   * reads as one stream.
   */
  private void packedRange(String t, boolean add) {
    String cap = t.equals("double") ? "Double" : "Float";
    String name = add ? "packedRangeAdd" : "packedRange";
    w("");
    w("  /**");
    w(
        "   * c[i][j − shift] %s Σ_k a[k][i]·b[k][j] for i in [iFrom, iTo), j in [jFrom, jTo) (at least a",
        add ? "+=" : "=");
    w(
        "   * vector wide), k in [kFrom, kTo) (not empty)%s: for each slice of k and group of vectors,",
        add ? ", c's chains continued" : ", written over c");
    w(
        "   * the group's vectors of the rows b[k] are copied one after another into this thread's panel");
    w(
        "   * ({@link #pack%s}), which stays in L1 while every tile of rows reads it as one stream: in the",
        cap);
    w(
        "   * transposed form's deep batch (S2's 200 × 784 inputs) each tile would read two cache lines from");
    w(
        "   * each of k rows 3 KB apart, and every tile the same again. The copy moves bits; each element is");
    w(
        "   * the same chain of fused multiply-adds in the same order (k ascending) as in JavaKernels.");
    if (add) {
      w(
          "   * A method of its own, so that a step that only adds compiles only the tiles that load c,");
      w("   * and C2's inlining budget is never spent on both kinds.");
    }
    w("   */");
    w(
        "  private static void %s(%s[][] c, %s[][] a, %s[][] b, int iFrom, int iTo, int kFrom, int kTo, int jFrom, int jTo, int shift) {",
        name, t, t, t);
    w("    int lanes = %s.length();", species(t));
    w("    int n = jTo - jFrom;");
    groupCounts("    ", "n");
    w("    int slice = slice(n, %d);", bytes(t));
    w(
        "    // at most four vectors per group (a group of one vector is packed as two, like its tiles)");
    w("    %s[] p = panel%s(Math.min(slice, kTo - kFrom) * 4 * lanes);", t, cap);
    w("    for (int k0 = kFrom; k0 < kTo; k0 += slice) {");
    w("      int k1 = Math.min(k0 + slice, kTo);");
    if (!add) {
      w("      // c is written, not added to: the first slice starts from zeros, not from c");
      w("      boolean first = k0 == kFrom;");
    }
    w("      int t = 0;");
    w("      for (int g = 0; g < groups; g++) {");
    w("        int size = g < wider ? base + 1 : base;");
    offsets("        ", "jFrom + ");
    w("        int width = Math.max(size, 2);");
    w("        pack%s(p, b, k0, k1, width, o0, o1, o2, o3);", cap);
    w("        int i = iFrom;");
    for (int size = 4; size >= 2; size--) {
      String args = offsetArguments(size);
      w(
          "        "
              + (size == 4
                  ? "if (width == 4) {"
                  : size == 3 ? "} else if (width == 3) {" : "} else {"));
      // eight rows only for groups of two (16 accumulators); groups of three and four take four
      int[] tiles = size == 2 ? new int[] {8, 4, 2, 1} : new int[] {4, 2, 1};
      for (int rows : tiles) {
        boolean loop = rows == 8 || rows == 4 && size != 2;
        if (loop) {
          w("          for (; i + %d <= iTo; i += %d) {", rows, rows);
        } else {
          w("          if (i + %d <= iTo) {", rows);
        }
        String call = String.format("(c, a, p, i, k0, k1, shift, %s);", args);
        if (add) {
          w("            packed%dx%d%s", rows, size, call);
        } else {
          w("            if (first) {");
          w("              packedFirst%dx%d%s", rows, size, call);
          w("            } else {");
          w("              packed%dx%d%s", rows, size, call);
          w("            }");
        }
        if (!loop) {
          w("            i += %d;", rows);
        }
        w("          }");
      }
    }
    w("        }");
    w("        t += size;");
    w("      }");
    w("    }");
    w("  }");
  }

  /** The copy of a group's vectors of rows k0..k1 of b into the panel. */
  private void pack(String t) {
    String cap = t.equals("double") ? "Double" : "Float";
    String sp = species(t);
    w("");
    w("  /**");
    w(
        "   * p[(k − k0)·width·lanes + v·lanes + l] = b[k][o_v + l] for the group's {@code width} (2-4)");
    w(
        "   * vectors at offsets o0..o3 and k in [k0, k1): the group's vectors of each row, one after");
    w(
        "   * another (a method of its own, so that the range method around it holds no vector). The");
    w(
        "   * loaded vector is cast to its exact class (see DOUBLES) before its store, which otherwise");
    w("   * needs a type profile; System.arraycopy instead cost about 4 µs of a Nielsen step");
    w("   * (bench/README.md, \"Seventh round (issue 14): allocation-free in every JVM\").");
    w("   */");
    w(
        "  private static void pack%s(%s[] p, %s[][] b, int k0, int k1, int width, int o0, int o1, int o2, int o3) {",
        cap, t, t);
    w("    int lanes = %s.length();", sp);
    w("    int q = 0;");
    w("    for (int k = k0; k < k1; k++) {");
    w("      %s[] bk = b[k];", t);
    groupStores("      ", t, "width", "o0", "o1", "o2", "o3");
    w("      q += width * lanes;");
    w("    }");
    w("  }");
  }

  /** The per-thread panel of the packed tiles. */
  private void panel(String t) {
    String cap = t.equals("double") ? "Double" : "Float";
    w("");
    w(
        "  private static final ThreadLocal<%s[]> PANEL_%s = new ThreadLocal<>();",
        t, t.toUpperCase());
    w("");
    w(
        "  /** This thread's panel of at least {@code length} numbers, made on its first use (or a longer one). */");
    w("  private static %s[] panel%s(int length) {", t, cap);
    w("    %s[] p = PANEL_%s.get();", t, t.toUpperCase());
    w("    if (p == null || p.length < length) {");
    w("      p = new %s[length];", t);
    w("      PANEL_%s.set(p);", t.toUpperCase());
    w("    }");
    w("    return p;");
    w("  }");
  }

  /**
   * The R×V tile of the packed range: b's vectors of row k at p[(k − kFrom)·V·lanes + v·lanes];
   * {@code first}: the first slice, which starts from zeros.
   */
  private void packedTile(String t, int rowCount, int vectorCount, boolean first) {
    String vec = vector(t);
    String sp = species(t);
    List<String> parameters = new ArrayList<>();
    for (int v = 0; v < vectorCount; v++) {
      parameters.add("int o" + v);
    }
    w("");
    w(
        "  /** c[i..i+%d)[o − shift..) %s a[k][i..i+%d)·b[k][o..o+lanes) for the %d offsets o, k in [kFrom, kTo), b's vectors from the panel p. */",
        rowCount, first ? "= Σ_k" : "+=", rowCount, vectorCount);
    w("  private static void packed%s%dx%d(", first ? "First" : "", rowCount, vectorCount);
    w(
        "      %s[][] c, %s[][] a, %s[] p, int i, int kFrom, int kTo, int shift, %s) {",
        t, t, t, String.join(", ", parameters));
    for (int r = 0; r < rowCount; r++) {
      for (int v = 0; v < vectorCount; v++) {
        if (first) {
          w("    %s s%d%d = %s.zero(%s);", vec, r, v, vec, sp);
        } else {
          w(
              "    %s s%d%d = %s.fromArray(%s, c[i%s], o%d - shift);",
              vec, r, v, vec, sp, r == 0 ? "" : " + " + r, v);
        }
      }
    }
    w("    int step = %d * %s.length();", vectorCount, sp);
    w("    int q = 0;");
    w("    for (int k = kFrom; k < kTo; k++) {");
    w("      %s[] ak = a[k];", t);
    for (int v = 0; v < vectorCount; v++) {
      w(
          "      %s b%d = %s.fromArray(%s, p, q%s);",
          vec, v, vec, sp, v == 0 ? "" : " + " + v + " * " + sp + ".length()");
    }
    for (int r = 0; r < rowCount; r++) {
      w("      %s x%d = %s.broadcast(%s, ak[i%s]);", vec, r, vec, sp, r == 0 ? "" : " + " + r);
      for (int v = 0; v < vectorCount; v++) {
        w("      s%d%d = b%d.fma(x%d, s%d%d);", r, v, v, r, r, v);
      }
    }
    w("      q += step;");
    w("    }");
    w("    // cast to the exact class (see DOUBLES): the stores need no type profile");
    for (int r = 0; r < rowCount; r++) {
      w("    %s[] c%d = c[i%s];", t, r, r == 0 ? "" : " + " + r);
      for (int v = 0; v < vectorCount; v++) {
        w(
            "    ((%s) %s.cast(s%d%d)).intoArray(c%d, o%d - shift);",
            vec, vectorClass(t), r, v, r, v);
      }
    }
    w("  }");
  }

  private void offsets(String ind, String base) {
    w(ind + "int o0 = %soffset(t, vectors, lanes, n);", base);
    w(ind + "// a row of one vector is a group of two, the same offset twice (the same sums)");
    w(ind + "int o1 = size > 1 ? %soffset(t + 1, vectors, lanes, n) : o0;", base);
    w(ind + "int o2 = size > 2 ? %soffset(t + 2, vectors, lanes, n) : o1;", base);
    w(ind + "int o3 = size > 3 ? %soffset(t + 3, vectors, lanes, n) : o2;", base);
  }

  private static String offsetArguments(int size) {
    return size == 4 ? "o0, o1, o2, o3" : size == 3 ? "o0, o1, o2" : "o0, o1";
  }

  /** One group of vectors (offsets o0..o2, 2 or 3 of them) over every tile of rows of [lo, hi). */
  private void groupOverRows(String r, String lo, String hi, String ind) {
    String kind = "rows";
    offsets(ind, "");
    w(ind + "int %s = %s;", r, lo);
    for (int size = 4; size >= 2; size--) {
      String args = offsetArguments(size);
      w(
          ind
              + (size == 4
                  ? "if (size == 4) {"
                  : size == 3 ? "} else if (size == 3) {" : "} else {"));
      if (size == 2) {
        w(ind + "  for (; %s + 8 <= %s; %s += 8) {", r, hi, r);
        w(ind + "    %s8x%d(c, a, b, %s, k0, k1, %s);", kind, size, r, args);
        w(ind + "  }");
      }
      if (size == 2) {
        w(ind + "  if (%s + 4 <= %s) {", r, hi);
      } else {
        w(ind + "  while (%s + 4 <= %s) {", r, hi);
      }
      w(ind + "    %s4x%d(c, a, b, %s, k0, k1, %s);", kind, size, r, args);
      w(ind + "    %s += 4;", r);
      w(ind + "  }");
      w(ind + "  if (%s + 2 <= %s) {", r, hi);
      w(ind + "    %s2x%d(c, a, b, %s, k0, k1, %s);", kind, size, r, args);
      w(ind + "    %s += 2;", r);
      w(ind + "  }");
      w(ind + "  if (%s < %s) {", r, hi);
      w(ind + "    %s1x%d(c, a, b, %s, k0, k1, %s);", kind, size, r, args);
      w(ind + "  }");
    }
    w(ind + "}");
  }

  /** The R×V tile of matmulRows. */
  private void tile(String t, int rowCount, int vectorCount) {
    tile(t, rowCount, vectorCount, false);
  }

  /**
   * The R×V tile of matmulRowsPanel: b's vectors of row k at p[q + (k − kFrom)·V·lanes + v·lanes].
   */
  private void panelTile(String t, int rowCount, int vectorCount) {
    tile(t, rowCount, vectorCount, true);
  }

  /**
   * An R×V tile: c's rows r..r+R at the V offsets o += a's rows times b, b's vectors of row k read
   * from b[k] at the offsets, or with {@code panel} from one stream p at q (the only differences:
   * the name, the parameters and where b's vectors are loaded).
   */
  private void tile(String t, int rowCount, int vectorCount, boolean panel) {
    String vec = vector(t);
    String sp = species(t);
    List<String> parameters = new ArrayList<>();
    for (int v = 0; v < vectorCount; v++) {
      parameters.add("int o" + v);
    }
    w("");
    w(
        "  /** c[r..r+%d)[o..o+lanes) += a[r..r+%d)[k]·b[k][o..o+lanes) for the %d offsets o, k in [kFrom, kTo)%s. */",
        rowCount, rowCount, vectorCount, panel ? ", b's vectors from the panel p at q on" : "");
    w("  private static void %s%dx%d(", panel ? "panelRows" : "rows", rowCount, vectorCount);
    w(
        panel
            ? "      %s[][] c, %s[][] a, %s[] p, int r, int kFrom, int kTo, int q, %s) {"
            : "      %s[][] c, %s[][] a, %s[][] b, int r, int kFrom, int kTo, %s) {",
        t,
        t,
        t,
        String.join(", ", parameters));
    for (int r = 0; r < rowCount; r++) {
      String plus = r == 0 ? "" : " + " + r;
      w("    %s[] c%d = c[r%s];", t, r, plus);
      w("    %s[] a%d = a[r%s];", t, r, plus);
    }
    for (int r = 0; r < rowCount; r++) {
      for (int v = 0; v < vectorCount; v++) {
        w("    %s s%d%d = %s.fromArray(%s, c%d, o%d);", vec, r, v, vec, sp, r, v);
      }
    }
    if (panel) {
      w("    int step = %d * %s.length();", vectorCount, sp);
    }
    w("    for (int k = kFrom; k < kTo; k++) {");
    if (!panel) {
      w("      %s[] bk = b[k];", t);
    }
    // the vectors of b first, then one broadcast of a at a time with its FMAs: the tile needs
    // R·V + V + 1 registers (19 for 8 × 2), where all R broadcasts first would need 26
    // (measured 4-15% faster than broadcasts first)
    for (int v = 0; v < vectorCount; v++) {
      if (panel) {
        w(
            "      %s b%d = %s.fromArray(%s, p, q%s);",
            vec, v, vec, sp, v == 0 ? "" : " + " + v + " * " + sp + ".length()");
      } else {
        w("      %s b%d = %s.fromArray(%s, bk, o%d);", vec, v, vec, sp, v);
      }
    }
    for (int r = 0; r < rowCount; r++) {
      w("      %s x%d = %s.broadcast(%s, a%d[k]);", vec, r, vec, sp, r);
      for (int v = 0; v < vectorCount; v++) {
        w("      s%d%d = b%d.fma(x%d, s%d%d);", r, v, v, r, r, v);
      }
    }
    if (panel) {
      w("      q += step;");
    }
    w("    }");
    w("    // cast to the exact class (see DOUBLES): the stores need no type profile");
    for (int r = 0; r < rowCount; r++) {
      for (int v = 0; v < vectorCount; v++) {
        w("    ((%s) %s.cast(s%d%d)).intoArray(c%d, o%d);", vec, vectorClass(t), r, v, r, v);
      }
    }
    w("  }");
  }
}
