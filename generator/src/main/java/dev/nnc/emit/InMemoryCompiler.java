package dev.nnc.emit;

import com.palantir.javapoet.JavaFile;
import dev.nnc.runtime.Network;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles Java source with the JDK's own compiler ({@link ToolProvider#getSystemJavaCompiler()})
 * into memory: nothing touches the disk. The class path is the runtime's location (where {@link
 * Network} was loaded from: a jar, a fat jar, or {@code target/classes}) plus {@code
 * java.class.path}; the target is {@code --release 17}; annotation processing is off.
 *
 * <pre>{@code
 * JavaFile file = new NetworkGenerator().generate(model, "nnc.generated");
 * Network network = (Network) InMemoryCompiler.compile(file).loadClass(file)
 *     .getConstructor(int.class).newInstance(64);
 * }</pre>
 */
public final class InMemoryCompiler {
  private InMemoryCompiler() {}

  /** Compiles {@code files} together. */
  public static CompiledClasses compile(JavaFile... files) {
    return compile(List.of(files));
  }

  /**
   * Compiles {@code files} together, in one javac run (much faster than one run each).
   *
   * @throws CompilationException with javac's diagnostics when the source does not compile
   */
  public static CompiledClasses compile(List<JavaFile> files) {
    Map<String, String> sources = new LinkedHashMap<>();
    for (JavaFile file : files) {
      String pkg = file.packageName();
      String name = pkg.isEmpty() ? file.typeSpec().name() : pkg + "." + file.typeSpec().name();
      sources.put(name, file.toString());
    }
    return compileSources(sources);
  }

  /**
   * Compiles source text: each entry maps a top-level class's binary name ({@code p.Name}) to its
   * source.
   *
   * @throws CompilationException with javac's diagnostics when the source does not compile
   * @throws IllegalStateException when running on a JRE without javac
   */
  public static CompiledClasses compileSources(Map<String, String> sourcesByClassName) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException(
          "no Java compiler: nnc compiles generated networks with javac, so it needs a JDK, not a JRE");
    }
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> source : sourcesByClassName.entrySet()) {
      units.add(new SourceText(source.getKey(), source.getValue()));
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard =
        javac.getStandardFileManager(
            diagnostics, Locale.ROOT, java.nio.charset.StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> outputs = new LinkedHashMap<>();
    JavaFileManager memory = new MemoryFileManager(standard, outputs);
    List<String> options =
        List.of("--release", "17", "-proc:none", "-g", "-Xlint:none", "-classpath", classPath());
    boolean ok;
    try {
      ok = javac.getTask(null, memory, diagnostics, options, null, units).call();
    } finally {
      try {
        memory.close();
      } catch (java.io.IOException e) {
        // nothing was written to disk, so there is nothing to lose
      }
    }
    if (!ok) {
      throw new CompilationException(format(diagnostics.getDiagnostics()));
    }
    Map<String, byte[]> classFiles = new LinkedHashMap<>();
    outputs.forEach((name, bytes) -> classFiles.put(name, bytes.toByteArray()));
    return new CompiledClasses(classFiles, Network.class.getClassLoader());
  }

  /** The runtime's location first, then the class path this JVM was started with. */
  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    CodeSource source = Network.class.getProtectionDomain().getCodeSource();
    if (source != null && source.getLocation() != null) {
      try {
        entries.add(Path.of(source.getLocation().toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a file location (e.g. a custom class loader): java.class.path must do
      }
    }
    String javaClassPath = System.getProperty("java.class.path", "");
    for (String entry : javaClassPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** {@code Nielsen.java:12: error: cannot find symbol}, then the source line, per diagnostic. */
  private static String format(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
      if (d.getKind() != Diagnostic.Kind.ERROR
          && d.getKind() != Diagnostic.Kind.WARNING
          && d.getKind() != Diagnostic.Kind.MANDATORY_WARNING) {
        continue;
      }
      String file = d.getSource() == null ? "javac" : d.getSource().getName();
      out.append(file);
      if (d.getLineNumber() != Diagnostic.NOPOS) {
        out.append(':').append(d.getLineNumber());
      }
      out.append(": ")
          .append(d.getKind().toString().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(": ")
          .append(d.getMessage(Locale.ROOT))
          .append('\n');
      String line = sourceLine(d);
      if (line != null) {
        out.append("    ").append(line.strip()).append('\n');
      }
    }
    return out.toString();
  }

  private static String sourceLine(Diagnostic<? extends JavaFileObject> d) {
    if (d.getSource() == null || d.getLineNumber() == Diagnostic.NOPOS) {
      return null;
    }
    try {
      String[] lines = d.getSource().getCharContent(true).toString().split("\n", -1);
      long index = d.getLineNumber() - 1;
      return index >= 0 && index < lines.length ? lines[(int) index] : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** A compilation unit held as a string; its name is {@code Name.java} for the diagnostics. */
  private static final class SourceText extends SimpleJavaFileObject {
    private final String text;

    SourceText(String className, String text) {
      super(uri("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public String getName() {
      String path = toUri().getPath();
      return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** A class file written into memory. */
  private static final class ClassBytes extends SimpleJavaFileObject {
    private final ByteArrayOutputStream bytes;

    ClassBytes(String className, ByteArrayOutputStream bytes) {
      super(uri("mem:///" + className.replace('.', '/') + Kind.CLASS.extension), Kind.CLASS);
      this.bytes = bytes;
    }

    @Override
    public OutputStream openOutputStream() {
      return bytes;
    }
  }

  /** Sends every class file javac writes into {@code outputs}; reads go to the standard manager. */
  private static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
    private final Map<String, ByteArrayOutputStream> outputs;

    MemoryFileManager(JavaFileManager standard, Map<String, ByteArrayOutputStream> outputs) {
      super(standard);
      this.outputs = outputs;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      outputs.put(className, bytes);
      return new ClassBytes(className, bytes);
    }
  }

  private static URI uri(String text) {
    return URI.create(text);
  }
}
