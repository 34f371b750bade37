package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache of compiled networks: hits, misses, damaged entries, concurrent writers. */
class ClassCacheTest {
  @TempDir Path folder;

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

  private static int answer(CompiledClasses classes) throws Exception {
    Method method = classes.loadClass("nnc.cache.test.Probe").getMethod("answer");
    return (int) method.invoke(null);
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  @Test
  void aSecondCompileReadsTheEntryInsteadOfRunningJavac() throws Exception {
    ClassCache cache = new ClassCache(folder);
    assertThat(answer(cache.compile(probe(42)))).isEqualTo(42);
    List<Path> written = entries();
    assertThat(written).hasSize(1);
    assertThat(written.get(0).getFileName().toString())
        .isEqualTo(ClassCache.key(probe(42).toString()) + ".zip");

    // Put the classes of another source under this source's key: a hit must return them, which
    // proves javac did not run.
    Path entry = written.get(0);
    new ClassCache(folder.resolve("other")).compile(probe(7));
    Path other;
    try (Stream<Path> files = Files.list(folder.resolve("other"))) {
      other = files.findFirst().orElseThrow();
    }
    Files.copy(other, entry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(answer(cache.compile(probe(42)))).isEqualTo(7);

    // another source is another entry
    assertThat(answer(cache.compile(probe(43)))).isEqualTo(43);
    assertThat(entries().stream().filter(p -> p.toString().endsWith(".zip")).count()).isEqualTo(2);
  }

  @Test
  void aDamagedEntryIsCompiledAgainAndRewritten() throws Exception {
    ClassCache cache = new ClassCache(folder);
    cache.compile(probe(1));
    Path entry = entries().get(0);
    byte[] whole = Files.readAllBytes(entry);
    Files.write(entry, java.util.Arrays.copyOf(whole, whole.length / 2)); // truncated
    assertThat(answer(cache.compile(probe(1)))).isEqualTo(1);
    assertThat(Files.readAllBytes(entry)).isEqualTo(whole);
  }

  @Test
  void concurrentRunsEachGetTheirClassesAndLeaveOneWholeEntry() throws Exception {
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        // each its own ClassCache, as separate processes would be
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return answer(new ClassCache(folder).compile(probe(5)));
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(5);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Path> left = entries();
    assertThat(left).hasSize(1); // no temporary file left behind
    assertThat(answer(new ClassCache(folder).compile(probe(5)))).isEqualTo(5);
  }

  @Test
  void anUnwritableFolderOnlyCostsTheCache() throws Exception {
    Path file = folder.resolve("not-a-folder");
    Files.writeString(file, "x");
    assertThat(answer(new ClassCache(file.resolve("cache")).compile(probe(9)))).isEqualTo(9);
  }
}
