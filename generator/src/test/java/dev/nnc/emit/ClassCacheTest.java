package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk cache of compiled networks: a hit runs neither the generator nor javac; another
 * input, another build or no known build misses; damaged entries and entries of another key are
 * detected and rewritten, never loaded; concurrent writers leave one whole entry.
 */
class ClassCacheTest {
  @TempDir Path folder;

  private final AtomicInteger generated = new AtomicInteger();

  private static JavaFile probe(int answer) {
    TypeSpec type =
        TypeSpec.classBuilder("Probe")
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addMethod(
                MethodSpec.methodBuilder("answer")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .returns(int.class)
                    .addStatement("return $L", answer)
                    .build())
            .build();
    return JavaFile.builder("nnc.cache.test", type).build();
  }

  /** The generator of the probe that answers {@code answer}, counted. */
  private Supplier<JavaFile> generator(int answer) {
    return () -> {
      generated.incrementAndGet();
      return probe(answer);
    };
  }

  private static final Supplier<JavaFile> IMPOSSIBLE =
      () -> {
        throw new AssertionError("the generator ran on a cache hit");
      };

  private static int answer(ClassCache.Loaded loaded) throws Exception {
    assertThat(loaded.mainClass()).isEqualTo("nnc.cache.test.Probe");
    Method method = loaded.loadMainClass().getMethod("answer");
    return (int) method.invoke(null);
  }

  private static ClassCache cache(Path folder, String build) {
    return new ClassCache(folder, Optional.of(build));
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void aHitRunsNeitherTheGeneratorNorJavac() throws Exception {
    ClassCache cache = cache(folder, "build A");
    ClassCache.Loaded first = cache.load("network 1", generator(42));
    assertThat(first.hit()).isFalse();
    assertThat(answer(first)).isEqualTo(42);
    assertThat(generated.get()).isEqualTo(1);
    List<Path> written = entries();
    assertThat(written).hasSize(1);
    assertThat(written.get(0).getFileName().toString())
        .isEqualTo(ClassCache.key("build A", "network 1") + ".zip");

    ClassCache.Loaded second = cache.load("network 1", IMPOSSIBLE);
    assertThat(second.hit()).isTrue();
    assertThat(answer(second)).isEqualTo(42);
    // another process, the same build: still a hit
    assertThat(answer(cache(folder, "build A").load("network 1", IMPOSSIBLE))).isEqualTo(42);
  }

  @Test
  void anotherInputOrAnotherBuildMisses() throws Exception {
    cache(folder, "build A").load("network 1", generator(1));
    assertThat(answer(cache(folder, "build A").load("network 2", generator(2)))).isEqualTo(2);
    assertThat(generated.get()).isEqualTo(2);
    // the same input under another build (a snapshot rebuilt with a changed generator)
    ClassCache.Loaded rebuilt = cache(folder, "build B").load("network 1", generator(3));
    assertThat(rebuilt.hit()).isFalse();
    assertThat(answer(rebuilt)).isEqualTo(3);
    assertThat(generated.get()).isEqualTo(3);
    assertThat(entries()).hasSize(3);
  }

  @Test
  void withoutAFingerprintNothingIsCached() throws Exception {
    ClassCache cache = new ClassCache(folder, Optional.empty());
    assertThat(answer(cache.load("network 1", generator(4)))).isEqualTo(4);
    assertThat(answer(cache.load("network 1", generator(4)))).isEqualTo(4);
    assertThat(generated.get()).isEqualTo(2);
    assertThat(entries()).isEmpty();
  }

  @Test
  void theRunningBuildHasAFingerprint() {
    assertThat(BuildFingerprint.current(folder)).isPresent();
    assertThat(BuildFingerprint.current(folder).get()).matches("[0-9a-f]{64}");
  }

  @Test
  void aTruncatedEntryIsRegeneratedAndRewritten() throws Exception {
    ClassCache cache = cache(folder, "build A");
    cache.load("network 1", generator(1));
    Path entry = entries().get(0);
    byte[] whole = Files.readAllBytes(entry);
    Files.write(entry, java.util.Arrays.copyOf(whole, whole.length / 2));
    ClassCache.Loaded again = cache.load("network 1", generator(1));
    assertThat(again.hit()).isFalse();
    assertThat(answer(again)).isEqualTo(1);
    assertThat(generated.get()).isEqualTo(2);
    assertThat(Files.readAllBytes(entry)).isEqualTo(whole);
  }

  @Test
  void anEntryWhoseClassDiffersFromItsDigestIsNeverLoaded() throws Exception {
    ClassCache cache = cache(folder, "build A");
    cache.load("network 1", generator(42));
    Path entry = entries().get(0);
    byte[] whole = Files.readAllBytes(entry);
    // a well-formed zip (right CRC-32s) whose class file is another probe's: only the index's
    // digest can tell
    byte[] other = InMemoryCompiler.compile(probe(7)).classFiles().get("nnc.cache.test.Probe");
    Map<String, byte[]> members = unzip(whole);
    members.put("nnc.cache.test.Probe", other);
    Files.write(entry, zip(members));
    ClassCache.Loaded again = cache.load("network 1", generator(42));
    assertThat(again.hit()).isFalse();
    assertThat(answer(again)).isEqualTo(42);
    assertThat(Files.readAllBytes(entry)).isEqualTo(whole);
  }

  @Test
  void anotherKeysEntryUnderThisKeysNameIsNeverLoaded() throws Exception {
    ClassCache cache = cache(folder, "build A");
    cache.load("network 7", generator(7));
    Path seven = entries().get(0);
    Path oneName = folder.resolve(ClassCache.key("build A", "network 1") + ".zip");
    Files.copy(seven, oneName);
    ClassCache.Loaded one = cache.load("network 1", generator(1));
    assertThat(one.hit()).isFalse();
    assertThat(answer(one)).isEqualTo(1);
    assertThat(answer(cache.load("network 1", IMPOSSIBLE))).isEqualTo(1);
  }

  @Test
  void anEntryOfAnotherInputUnderTheSameHashIsNeverLoaded() throws Exception {
    // as if two inputs had the same SHA-256: the entry's own copy of its input decides
    ClassCache cache = cache(folder, "build A");
    cache.load("network 1", generator(1));
    Path entry = entries().get(0);
    Map<String, byte[]> members = unzip(Files.readAllBytes(entry));
    String input = new String(members.get(ClassCache.INPUT), StandardCharsets.UTF_8);
    assertThat(input).endsWith("network 1");
    members.put(
        ClassCache.INPUT, input.replace("network 1", "network 2").getBytes(StandardCharsets.UTF_8));
    Files.write(entry, zip(members));
    ClassCache.Loaded again = cache.load("network 1", generator(1));
    assertThat(again.hit()).isFalse();
    assertThat(generated.get()).isEqualTo(2);
    assertThat(answer(cache.load("network 1", IMPOSSIBLE))).isEqualTo(1);
  }

  @Test
  void concurrentRunsEachGetTheirClassesAndLeaveOneWholeEntry() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    // busy threads beside them, so the writers interleave on an oversubscribed machine
    AtomicBoolean busy = new AtomicBoolean(true);
    List<Thread> spinners = new ArrayList<>();
    for (int i = 0; i < Runtime.getRuntime().availableProcessors() + 2; i++) {
      Thread spinner =
          new Thread(
              () -> {
                long x = 0;
                while (busy.get()) {
                  x += System.nanoTime() & 1;
                }
                if (x == 42) {
                  System.out.print("");
                }
              });
      spinner.setDaemon(true);
      spinner.start();
      spinners.add(spinner);
    }
    try {
      for (int i = 0; i < writers; i++) {
        // each its own ClassCache, as separate processes would be
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return answer(cache(folder, "build A").load("network 5", () -> probe(5)));
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(5);
      }
    } finally {
      busy.set(false);
      pool.shutdownNow();
      for (Thread spinner : spinners) {
        spinner.join();
      }
    }
    List<Path> left = entries();
    assertThat(left).hasSize(1); // no temporary file left behind
    assertThat(answer(cache(folder, "build A").load("network 5", IMPOSSIBLE))).isEqualTo(5);
  }

  @Test
  void anUnwritableFolderOnlyCostsTheCache() throws Exception {
    Path file = folder.resolve("not-a-folder");
    Files.writeString(file, "x");
    assertThat(answer(cache(file.resolve("cache"), "build A").load("n", generator(9))))
        .isEqualTo(9);
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    try (InputStream in = new java.io.ByteArrayInputStream(zip);
        ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        members.put(e.getName(), z.readAllBytes());
      }
    }
    return members;
  }

  private static byte[] zip(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ZipEntry entry = new ZipEntry(m.getKey());
        entry.setTimeLocal(java.time.LocalDateTime.of(1980, 1, 1, 0, 0));
        z.putNextEntry(entry);
        z.write(m.getValue());
        z.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
