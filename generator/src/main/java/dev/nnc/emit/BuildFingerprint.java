package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.Network;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * name, size and CRC-32, which the jar holds already, so nothing is decompressed (a few
 * milliseconds for the 5 MB jar). A folder of classes ({@code target/classes}, as in the tests) is
 * fingerprinted by the names and bytes of its files. Code whose location is unknown has no
 * fingerprint, and then nothing is cached.
 */
public final class BuildFingerprint {
  private static volatile Optional<String> current;

  private BuildFingerprint() {}

  /** The fingerprint of the running build, computed once; empty when a location is unknown. */
  public static Optional<String> current() {
    Optional<String> known = current;
    if (known == null) {
      known = compute(List.of(NetworkGenerator.class, Network.class, JavaFile.class));
      current = known;
    }
    return known;
  }

  static Optional<String> compute(List<Class<?>> classes) {
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
      return Optional.of(of(new ArrayList<>(locations)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The fingerprint of jars and class folders, in the order given. */
  static String of(List<Path> locations) throws IOException {
    MessageDigest sha = sha256();
    for (Path location : locations) {
      if (Files.isDirectory(location)) {
        sha.update(("folder\n").getBytes(StandardCharsets.UTF_8));
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
      } else {
        sha.update(("jar\n").getBytes(StandardCharsets.UTF_8));
        try (ZipFile zip = new ZipFile(location.toFile())) {
          StringBuilder lines = new StringBuilder();
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
          sha.update(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
