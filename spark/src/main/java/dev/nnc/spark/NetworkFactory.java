package dev.nnc.spark;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.NetworkSpec;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How an executor gets the generated network class: either it is on the executor's class path
 * (compiled into the application jar by the Maven plugin), or its class files travel inside this
 * object (compiled on the driver) and are defined once per executor JVM by a class loader whose
 * parent is the one that loaded nnc's runtime. Serialisable: it is part of every task.
 *
 * <p>Instances of the class are pooled per JVM ({@link #borrow}): a task takes one with its buffers
 * and gives it back, so an executor allocates one network per concurrent task, not one per block.
 */
public final class NetworkFactory implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Map<String, Class<?>> DEFINED = new ConcurrentHashMap<>();
  private static final Map<String, ConcurrentLinkedQueue<Worker>> POOL = new ConcurrentHashMap<>();

  private final String className;
  private final TreeMap<String, byte[]> classFiles; // null: on the class path
  private final String key;
  private transient volatile Constructor<? extends Network> constructor;
  private transient volatile NetworkSpec spec;

  private NetworkFactory(String className, TreeMap<String, byte[]> classFiles, String key) {
    this.className = className;
    this.classFiles = classFiles;
    this.key = key;
  }

  /** The class is on every executor's class path (the application jar). */
  public static NetworkFactory onClassPath(Class<? extends Network> type) {
    return new NetworkFactory(type.getName(), null, "classpath:" + type.getName());
  }

  /** The class is defined on each executor from {@code classFiles} (binary name → bytes). */
  public static NetworkFactory ofClassFiles(String className, Map<String, byte[]> classFiles) {
    if (!classFiles.containsKey(className)) {
      throw new IllegalArgumentException("no class file for " + className);
    }
    TreeMap<String, byte[]> copy = new TreeMap<>();
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : classFiles.entrySet()) {
        copy.put(file.getKey(), file.getValue().clone());
        digest.update(file.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update(file.getValue());
      }
      return new NetworkFactory(
          className, copy, "bytes:" + className + ":" + HexFormat.of().formatHex(digest.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public String className() {
    return className;
  }

  /** Whether the class travels as bytes (compiled on the driver). */
  public boolean shipsClassFiles() {
    return classFiles != null;
  }

  /** A new instance with buffers for {@code maxRows} rows. */
  public Network newNetwork(int maxRows) {
    try {
      return constructor().newInstance(maxRows);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate the generated " + className, e);
    }
  }

  /** The network's spec (from a one-row instance). */
  public NetworkSpec spec() {
    NetworkSpec s = spec;
    if (s == null) {
      s = newNetwork(1).spec();
      spec = s;
    }
    return s;
  }

  /** A pooled network with a batch of {@code rows} rows; give it back with {@link #release}. */
  Worker borrow(int rows) {
    Worker worker =
        POOL.computeIfAbsent(key + "#" + rows, k -> new ConcurrentLinkedQueue<>()).poll();
    if (worker == null) {
      Network network = newNetwork(rows);
      NetworkSpec spec = network.spec();
      worker =
          new Worker(
              key + "#" + rows,
              network,
              Batch.forSpec(spec, rows),
              new double[spec.parameterCount()]);
    }
    return worker;
  }

  void release(Worker worker) {
    POOL.get(worker.poolKey).offer(worker);
  }

  /** A network, its batch and a gradient buffer, used by one task at a time. */
  record Worker(String poolKey, Network network, Batch batch, double[] gradient) {}

  @SuppressWarnings("unchecked")
  private Constructor<? extends Network> constructor() {
    Constructor<? extends Network> c = constructor;
    if (c == null) {
      Class<?> type = DEFINED.computeIfAbsent(key, k -> load());
      try {
        c = ((Class<? extends Network>) type.asSubclass(Network.class)).getConstructor(int.class);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(className + " lacks its (int maxRows) constructor", e);
      }
      constructor = c;
    }
    return c;
  }

  private Class<?> load() {
    ClassLoader parent = NetworkFactory.class.getClassLoader();
    try {
      if (classFiles == null) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return Class.forName(className, true, context != null ? context : parent);
      }
      return Class.forName(className, true, new BytesLoader(classFiles, parent));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "the generated class "
              + className
              + " is not on this JVM's class path: build it into the application jar (the nnc"
              + " Maven plugin) or let SparkModel.compile ship it",
          e);
    }
  }

  private static final class BytesLoader extends ClassLoader {
    private final Map<String, byte[]> classFiles;

    BytesLoader(Map<String, byte[]> classFiles, ClassLoader parent) {
      super(parent);
      this.classFiles = classFiles;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classFiles.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
