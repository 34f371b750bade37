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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Compiled generated classes kept on disk between runs, so that {@code nnc train}, {@code predict}
 * and {@code check}-then-run do not start javac (a second or more) for a network they compiled
 * before.
 *
 * <p>An entry is named by the SHA-256 of the generated source text (which names the nnc version in
 * its header and holds every shape, activation and constant of the network) and of the JDK's
 * feature release: a changed {@code .nn} file, another nnc build or another JDK release is a miss,
 * never a stale class. An entry is a zip of the class files, written to a temporary file in the
 * same folder and renamed into place atomically: concurrent runs that compile the same network each
 * write a complete file and the last rename wins (the contents are the same); a reader sees a whole
 * entry or none. An unreadable entry (truncated by a full disk, say) is ignored and rewritten. The
 * folder is {@code $NNC_CACHE} when set ({@code off} disables the cache), else {@code
 * $XDG_CACHE_HOME/nnc}, else {@code ~/.cache/nnc} ({@code %LOCALAPPDATA%\nnc\cache} on Windows,
 * {@code ~/Library/Caches/nnc} on macOS); deleting it is always safe.
 */
public final class ClassCache {
  private final Path folder;

  public ClassCache(Path folder) {
    this.folder = folder;
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

  /** The compiled classes of {@code file}: from the cache, or compiled with javac and stored. */
  public CompiledClasses compile(JavaFile file) {
    String source = file.toString();
    Path entry = folder.resolve(key(source) + ".zip");
    Map<String, byte[]> cached = read(entry);
    if (cached != null) {
      return new CompiledClasses(cached, Network.class.getClassLoader());
    }
    CompiledClasses compiled = InMemoryCompiler.compile(file);
    write(entry, compiled.classFiles());
    return compiled;
  }

  /** The entry's name: SHA-256 of the JDK release and the source. */
  static String key(String source) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("javac " + Runtime.version().feature() + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The class files of an entry, or null when it is missing or unreadable. */
  private static Map<String, byte[]> read(Path entry) {
    if (!Files.isRegularFile(entry)) {
      return null;
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(entry);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        // ZipInputStream checks each entry's CRC-32 as it reads it
        classes.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return classes.isEmpty() ? null : classes;
  }

  /** Writes an entry atomically; a cache that cannot be written is only a slower run. */
  private void write(Path entry, Map<String, byte[]> classes) {
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      temporary = Files.createTempFile(folder, ".writing-", ".zip");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
          ZipEntry zipEntry = new ZipEntry(c.getKey());
          // a fixed time: the same classes give the same entry bytes on every run
          zipEntry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
          zip.putNextEntry(zipEntry);
          zip.write(c.getValue());
          zip.closeEntry();
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
}
