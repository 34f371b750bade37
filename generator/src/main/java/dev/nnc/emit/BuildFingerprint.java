package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.Network;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>A jar (the command line's fat jar) is identified, where the file system says so (Linux,
 * macOS), by its path, size, inode and its modification and change times: any write of the jar,
 * which every build makes, changes its change time, which no program can set back. That takes one
 * look at the file's attributes, where reading the jar's 2,400 entries and hashing their CRC-32s
 * took 30-50 ms of a 0.3 s run. Elsewhere a jar is fingerprinted by its central directory (every
 * entry's name, size and CRC-32). A folder of classes ({@code target/classes}, as in the tests) is
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
    return of(locations, true);
  }

  /**
   * The fingerprint of jars and class folders, in the order given; jars by their identity where the
   * file system has one and {@code identities}, else by their contents.
   */
  static String of(List<Path> locations, boolean identities) throws IOException {
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
      } else if (identities
          && location.getFileSystem().supportedFileAttributeViews().contains("unix")) {
        Map<String, Object> a =
            Files.readAttributes(location, "unix:size,ino,lastModifiedTime,ctime");
        sha.update(
            ("jar "
                    + location.toAbsolutePath()
                    + " size "
                    + a.get("size")
                    + " inode "
                    + a.get("ino")
                    + " modified "
                    + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)
                    + " changed "
                    + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS)
                    + "\n")
                .getBytes(StandardCharsets.UTF_8));
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
