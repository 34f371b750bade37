package dev.nnc.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Fixed expected values, computed outside Java (an independent Python SplitMix64): a change of
 * algorithm would silently change every seeded result in nnc, so it must fail here first.
 */
class RngTest {
  @Test
  void nextLongIsSplitMix64() {
    // Vigna's splitmix64.c from state 0 gives these three outputs.
    Rng rng = new Rng(0);
    assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(rng.nextLong()).isEqualTo(0x06C45D188009454FL);
    Rng seeded = new Rng(42);
    assertThat(seeded.nextLong()).isEqualTo(-4767286540954276203L);
    assertThat(seeded.nextLong()).isEqualTo(2949826092126892291L);
  }

  @Test
  void nextDoubleUsesTheTop53Bits() {
    Rng rng = new Rng(7);
    assertThat(rng.nextDouble()).isEqualTo(0.3898297483912715);
    assertThat(rng.nextDouble()).isEqualTo(0.01678829452815611);
    assertThat(rng.nextDouble()).isEqualTo(0.9007606806068834);
  }

  @Test
  void nextIntIsFixed() {
    Rng rng = new Rng(7);
    int[] drawn = new int[10];
    for (int i = 0; i < drawn.length; i++) {
      drawn[i] = rng.nextInt(10);
    }
    assertThat(drawn).asList().containsExactly(7, 4, 6, 3, 4, 5, 8, 2, 5, 5).inOrder();
    assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
  }

  @Test
  void nextGaussianIsBoxMullerInPairs() {
    Rng rng = new Rng(1);
    // Python's libm and Java's Math may differ in the last bit of log/sin/cos.
    assertThat(rng.nextGaussian()).isWithin(1e-15).of(-0.028249746095854702);
    assertThat(rng.nextGaussian()).isWithin(1e-15).of(-1.0656176484143263);
    assertThat(rng.nextGaussian()).isWithin(1e-15).of(-0.22791952286763514);
    assertThat(rng.nextGaussian()).isWithin(1e-15).of(0.08309416847150106);
  }

  @Test
  void shuffleIsFisherYatesFromTheTop() {
    int[] order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    new Rng(3).shuffle(order);
    assertThat(order).asList().containsExactly(2, 8, 7, 4, 5, 6, 0, 1, 9, 3).inOrder();
  }

  @Test
  void sameSeedSameStream() {
    Rng a = new Rng(123);
    Rng b = new Rng(123);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextGaussian()).isEqualTo(b.nextGaussian());
    }
    assertThat(a.state()).isEqualTo(b.state());
  }
}
