package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.Network;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What nnc build is running: a SHA-256 over the code that decides what a generated class is and
 * what it links against (the generator, the runtime and JavaPoet, wherever they were loaded from).
 * A snapshot build changes its code without changing its version, so the class cache names its
 * entries by this rather than by the version.
 *
 * <p>A jar (the command line's fat jar) is fingerprinted by its central directory: every entry's
 * name, size and CRC-32, so a rebuild of the same code has the same fingerprint. Reading the 2,400
 * entries and hashing them took 30-50 ms of a 0.3 s run, so the result is remembered in the cache
 * folder under the jar's identity where the file system has one (Linux, macOS): its path, size,
 * inode, and modification and change times. Every write of the jar changes its change time, which
 * no program can set back, so a remembered fingerprint is never one of another jar. A folder of
 * classes ({@code target/classes}, as in the tests) is fingerprinted by the names and bytes of its
 * files. Code whose location is unknown has no fingerprint, and then nothing is cached.
 */
public final class BuildFingerprint {
  private static final Map<Optional<Path>, Optional<String>> CURRENT = new ConcurrentHashMap<>();

  private BuildFingerprint() {}

  /**
   * The fingerprint of the running build, computed once per JVM; jars' fingerprints remembered in
   * {@code memory} (null: not remembered). Empty when a location is unknown.
   */
  public static Optional<String> current(Path memory) {
    return CURRENT.computeIfAbsent(
        Optional.ofNullable(memory),
        m ->
            compute(
                List.of(NetworkGenerator.class, Network.class, JavaFile.class), m.orElse(null)));
  }

  static Optional<String> compute(List<Class<?>> classes, Path memory) {
    Set<Path> locations = new LinkedHashSet<>();
    for (Class<?> type : classes) {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      try {
        locations.add(Path.of(source.getLocation().toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(of(new ArrayList<>(locations), memory));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The fingerprint of jars and class folders, in the order given, jars remembered in memory. */
  static String of(List<Path> locations, Path memory) throws IOException {
    StringBuilder parts = new StringBuilder();
    for (Path location : locations) {
      parts
          .append(Files.isDirectory(location) ? folder(location) : jar(location, memory))
          .append('\n');
    }
    return hex(parts.toString());
  }

  /** A jar's fingerprint: remembered under its identity, else read from its central directory. */
  static String jar(Path jar, Path memory) throws IOException {
    String identity = identity(jar);
    if (identity == null || memory == null) {
      return jarContents(jar);
    }
    Path memo = memory.resolve("build-" + hex(identity) + ".txt");
    try {
      List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
      if (lines.size() == 2
          && lines.get(0).equals(identity)
          && lines.get(1).matches("[0-9a-f]{64}")) {
        return lines.get(1);
      }
    } catch (IOException | RuntimeException e) {
      // not remembered yet, or unreadable: read the jar
    }
    String contents = jarContents(jar);
    Path temporary = null;
    try {
      Files.createDirectories(memory);
      temporary = Files.createTempFile(memory, ".writing-", ".txt");
      Files.writeString(temporary, identity + "\n" + contents + "\n", StandardCharsets.UTF_8);
      Files.move(
          temporary, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temporary = null;
    } catch (IOException | RuntimeException e) {
      // not remembered: the next run reads the jar again
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
    }
    return contents;
  }

  /** The jar's path, size, inode and times, or null where the file system has no unix view. */
  static String identity(Path jar) throws IOException {
    if (!jar.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return null;
    }
    Map<String, Object> a = Files.readAttributes(jar, "unix:size,ino,lastModifiedTime,ctime");
    return new StringBuilder("jar ")
        .append(jar.toAbsolutePath())
        .append(" size ")
        .append(a.get("size"))
        .append(" inode ")
        .append(a.get("ino"))
        .append(" modified ")
        .append(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS))
        .append(" changed ")
        .append(((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS))
        .toString();
  }

  /** The SHA-256 of every entry's name, size and CRC-32, in the central directory's order. */
  static String jarContents(Path jar) throws IOException {
    StringBuilder lines = new StringBuilder("jar\n");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        lines
            .append(entry.getName())
            .append(' ')
            .append(entry.getSize())
            .append(' ')
            .append(Long.toHexString(entry.getCrc()))
            .append('\n');
      }
    }
    return hex(lines.toString());
  }

  /** The SHA-256 of a folder's files: their relative paths, sizes and bytes. */
  static String folder(Path location) throws IOException {
    MessageDigest sha = sha256();
    sha.update("folder\n".getBytes(StandardCharsets.UTF_8));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(location)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      sha.update(
          (location.relativize(file).toString().replace('\\', '/') + " " + bytes.length + "\n")
              .getBytes(StandardCharsets.UTF_8));
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
