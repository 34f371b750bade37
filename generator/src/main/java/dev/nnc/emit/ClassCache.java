package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Compiled generated classes kept on disk between runs, so that {@code nnc train}, {@code predict}
 * and {@code check}-then-run neither start javac (a second or more) nor generate the source again
 * (JavaPoet, a tenth of a second) for a network they compiled before.
 *
 * <p>An entry is named by the SHA-256 of what decides the class: a complete description of the
 * generator's input (the checked model, {@link dev.nnc.pipeline.ModelDescription}), the {@link
 * BuildFingerprint} of the running nnc (its code, not its version: a snapshot's generator changes
 * without its version) and the JDK's release. A changed {@code .nn} file or override, another nnc
 * build or another JDK is a miss, never a stale class. The entry holds that whole input, compared
 * with the run's on every read (the hash only names the file), and the SHA-256 of each class file:
 * an entry that is truncated, damaged, or a copy of another key's entry is a miss, compiled again
 * and rewritten, never loaded. An entry is written to a temporary file in the same folder and
 * renamed into place atomically: concurrent runs that compile the same network each write a
 * complete file and the last rename wins (the contents are the same); a reader sees a whole entry
 * or none. The folder is {@code $NNC_CACHE} when set ({@code off} disables the cache), else {@code
 * $XDG_CACHE_HOME/nnc}, else {@code ~/.cache/nnc} ({@code %LOCALAPPDATA%\nnc\cache} on Windows,
 * {@code ~/Library/Caches/nnc} on macOS); deleting it is always safe.
 */
public final class ClassCache {
  /**
   * The first entry of every cache entry: its key, its top-level class and its classes' digests.
   */
  static final String INDEX = "nnc-cache-entry.txt";

  private static final String FORMAT = "nnc class cache 2";

  /**
   * The second entry: the key's whole input, compared on every read (a hash names, never decides).
   */
  static final String INPUT = "nnc-cache-input.txt";

  private final Path folder;
  private final Supplier<Optional<String>> build;

  /** A cache in {@code folder} for the running nnc build (fingerprinted on first use). */
  public ClassCache(Path folder) {
    this(folder, () -> BuildFingerprint.current(folder));
  }

  /** A cache for the build of fingerprint {@code build} (none: nothing is cached). */
  ClassCache(Path folder, Optional<String> build) {
    this(folder, () -> build);
  }

  private ClassCache(Path folder, Supplier<Optional<String>> build) {
    this.folder = folder;
    this.build = build;
  }

  /** Classes from the cache or just compiled, with the binary name of the top-level class. */
  public record Loaded(CompiledClasses classes, String mainClass, boolean hit) {
    public Class<?> loadMainClass() {
      return classes.loadClass(mainClass);
    }
  }

  /** The folder this cache reads and writes. */
  public Path folder() {
    return folder;
  }

  /** The user's cache, or none when {@code NNC_CACHE=off} or no home folder is known. */
  public static Optional<ClassCache> forUser() {
    String configured = System.getenv("NNC_CACHE");
    if (configured != null && !configured.isBlank()) {
      return configured.equalsIgnoreCase("off")
          ? Optional.empty()
          : Optional.of(new ClassCache(Path.of(configured)));
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String home = System.getProperty("user.home");
    String localAppData = System.getenv("LOCALAPPDATA");
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (os.startsWith("windows") && localAppData != null) {
      return Optional.of(new ClassCache(Path.of(localAppData, "nnc", "cache")));
    }
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Optional.of(new ClassCache(Path.of(xdg, "nnc")));
    }
    if (home == null || home.isBlank()) {
      return Optional.empty();
    }
    if (os.startsWith("mac")) {
      return Optional.of(new ClassCache(Path.of(home, "Library", "Caches", "nnc")));
    }
    return Optional.of(new ClassCache(Path.of(home, ".cache", "nnc")));
  }

  /**
   * The compiled classes of the source {@code generate} gives for {@code description}: from the
   * entry of that description when it is whole and this build's, else generated, compiled and
   * stored. {@code description} must say everything the source depends on besides nnc's code:
   * {@code generate} is not called on a hit.
   */
  public Loaded load(String description, Supplier<JavaFile> generate) {
    Optional<String> fingerprint = build.get();
    if (fingerprint.isEmpty()) {
      JavaFile file = generate.get();
      return compiled(file, InMemoryCompiler.compile(file), false);
    }
    String input = input(fingerprint.get(), description);
    String key = key(input);
    Path entry = folder.resolve(key + ".zip");
    Loaded cached = read(entry, key, input);
    if (cached != null) {
      return cached;
    }
    JavaFile file = generate.get();
    CompiledClasses compiled = InMemoryCompiler.compile(file);
    Loaded loaded = compiled(file, compiled, false);
    write(entry, key, input, compiled.classFiles(), loaded.mainClass());
    return loaded;
  }

  /** The compiled classes of {@code file}: from the cache, or compiled with javac and stored. */
  public CompiledClasses compile(JavaFile file) {
    String source = file.toString();
    return load("source\n" + source, () -> file).classes();
  }

  private static Loaded compiled(JavaFile file, CompiledClasses classes, boolean hit) {
    String pkg = file.packageName();
    String name = pkg.isEmpty() ? file.typeSpec().name() : pkg + "." + file.typeSpec().name();
    return new Loaded(classes, name, hit);
  }

  /** All that decides an entry: the cache's format, the build, the JDK release, the input. */
  static String input(String build, String description) {
    return FORMAT
        + "\nbuild "
        + build
        + "\njavac "
        + Runtime.version().feature()
        + "\n"
        + description;
  }

  /** The entry's name: the SHA-256 of its {@link #input}. */
  static String key(String input) {
    return digest(input.getBytes(StandardCharsets.UTF_8));
  }

  /** The name of the entry of {@code description} for the build {@code build}. */
  static String key(String build, String description) {
    return key(input(build, description));
  }

  private static String digest(byte[] bytes) {
    return HexFormat.of().formatHex(BuildFingerprint.sha256().digest(bytes));
  }

  /**
   * The classes of an entry, or null when it is missing, unreadable, of another key, or any class
   * file differs from its digest in the index.
   */
  private static Loaded read(Path entry, String key, String input) {
    if (!Files.isRegularFile(entry)) {
      return null;
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    Map<String, String> digests = new LinkedHashMap<>();
    String mainClass = null;
    try (InputStream in = Files.newInputStream(entry);
        ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry first = zip.getNextEntry();
      if (first == null || !first.getName().equals(INDEX)) {
        return null;
      }
      List<String> lines = new String(zip.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      if (lines.size() < 4
          || !lines.get(0).equals(FORMAT)
          || !lines.get(1).equals("key " + key)
          || !lines.get(2).startsWith("main ")) {
        return null;
      }
      mainClass = lines.get(2).substring("main ".length());
      for (String line : lines.subList(3, lines.size())) {
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[0].equals("class")) {
          return null;
        }
        digests.put(parts[1], parts[2]);
      }
      ZipEntry second = zip.getNextEntry();
      if (second == null
          || !second.getName().equals(INPUT)
          || !new String(zip.readAllBytes(), StandardCharsets.UTF_8).equals(input)) {
        return null;
      }
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        // ZipInputStream checks each entry's CRC-32 as it reads it; the index's digests the rest
        byte[] bytes = zip.readAllBytes();
        if (!digest(bytes).equals(digests.get(e.getName()))) {
          return null;
        }
        classes.put(e.getName(), bytes);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (!classes.keySet().equals(digests.keySet()) || !classes.containsKey(mainClass)) {
      return null;
    }
    return new Loaded(
        new CompiledClasses(classes, Network.class.getClassLoader()), mainClass, true);
  }

  /** Writes an entry atomically; a cache that cannot be written is only a slower run. */
  private void write(
      Path entry, String key, String input, Map<String, byte[]> classes, String mainClass) {
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      temporary = Files.createTempFile(folder, ".writing-", ".zip");
      StringBuilder index = new StringBuilder();
      index.append(FORMAT).append('\n');
      index.append("key ").append(key).append('\n');
      index.append("main ").append(mainClass).append('\n');
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        index.append("class ").append(c.getKey()).append(' ').append(digest(c.getValue()));
        index.append('\n');
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        put(zip, INDEX, index.toString().getBytes(StandardCharsets.UTF_8));
        put(zip, INPUT, input.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
          put(zip, c.getKey(), c.getValue());
        }
      }
      try (OutputStream out = Files.newOutputStream(temporary)) {
        bytes.writeTo(out);
      }
      try {
        Files.move(
            temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, entry, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException | RuntimeException e) {
      // read-only home, full disk: the classes are compiled, this run goes on without the cache
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          // left for the next run to overwrite
        }
      }
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry zipEntry = new ZipEntry(name);
    // a fixed time: the same classes give the same entry bytes on every run
    zipEntry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
    zip.putNextEntry(zipEntry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
