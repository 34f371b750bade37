package dev.nnc.cli;

import static com.google.common.truth.Truth.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networks and batches that would not fit in memory are refused when the file is checked, with the
 * size they need (NN403), by {@code nnc check} and {@code nnc train} alike: exit 2, no
 * OutOfMemoryError, nothing written.
 */
class ResourceLimitsTest {
  @TempDir Path temp;

  private Path write(String name, String text) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void hugeLayerIsRefusedWithTheSizeItNeeds() throws Exception {
    Path file =
        write(
            "huge.nn",
            """
            network Huge {
                input   x[100000]
                dense   out[100000]
                target  t[100000]
                loss    squared_error(out, t)
            }
            train {
                optimizer sgd(lr = 0.1)
                epochs    1
                data      csv("rows.csv")
            }
            """);
    for (String command : new String[] {"check", "train"}) {
      MainTest.Run run = MainTest.nnc(command, file.toString());
      assertThat(run.code()).isEqualTo(2);
      // more elements than an array can hold: refused before the memory estimate
      assertThat(run.err())
          .contains(
              "huge.nn:3:13: error: tensor 'out.W' would have 10000000000 elements; the limit is"
                  + " 2147483647 [NN402]");
      assertThat(run.err()).doesNotContain("OutOfMemoryError");
      assertThat(run.err()).doesNotContain("Exception");
    }
    // 40000 × 40000 fits an array but not the 16 GiB budget: weights and gradients, 23.8 GiB
    Path big = write("big.nn", Files.readString(file).replace("100000", "40000"));
    MainTest.Run train =
        MainTest.nnc("train", big.toString(), "--out", temp.resolve("o").toString());
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("network 'Huge' needs 23.8 GiB");
    assertThat(train.err()).contains("[NN403]");
    MainTest.Run check = MainTest.nnc("check", big.toString());
    assertThat(check.code()).isEqualTo(2);
    assertThat(check.err()).contains("network 'Huge' needs 23.8 GiB");
    assertThat(Files.exists(temp.resolve("o").resolve("Huge.npz"))).isFalse();
  }

  @Test
  void batchTooLargeForTheBuffersIsRefused() throws Exception {
    // 1,000 + 2·(4,096 + 10) doubles a row; 200 million rows need about 6.3 TB
    Path file =
        write(
            "bigbatch.nn",
            """
            network BigBatch {
                input   x[1000]
                dense   hidden[4096] relu
                dense   out[10]
                label   y
                loss    softmax_cross_entropy(out, y)
            }
            train {
                optimizer sgd(lr = 0.1)
                batch     200000000
                epochs    1
            }
            """);
    MainTest.Run check = MainTest.nnc("check", file.toString());
    assertThat(check.code()).isEqualTo(2);
    assertThat(check.err()).contains("network 'BigBatch' needs");
    assertThat(check.err()).contains("a batch of 200000000 rows");
    MainTest.Run train = MainTest.nnc("train", file.toString(), "--out", temp.toString());
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err()).contains("[NN403]");
  }
}
