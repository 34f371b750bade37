package dev.nnc.emit;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** The one place user names become identifiers. */
class JavaNamesTest {
  @Test
  void caseConversions() {
    assertThat(JavaNames.lowerCamel("hidden_layer")).isEqualTo("hiddenLayer");
    assertThat(JavaNames.lowerCamel("Out")).isEqualTo("out");
    assertThat(JavaNames.lowerCamel("XOR")).isEqualTo("xor");
    assertThat(JavaNames.lowerCamel("URLNet")).isEqualTo("urlNet");
    assertThat(JavaNames.lowerCamel("h_1")).isEqualTo("h1");
    assertThat(JavaNames.upperSnake("hiddenLayer2")).isEqualTo("HIDDEN_LAYER2");
    assertThat(JavaNames.capitalize("hidden")).isEqualTo("Hidden");
  }

  @Test
  void allocationAvoidsKeywordsReservedNamesAndFoldedCollisions() {
    JavaNames names = new JavaNames();
    assertThat(names.allocate("if")).isEqualTo("if2");
    assertThat(names.allocate("sum")).isEqualTo("sum2"); // a local of the generated code
    assertThat(names.allocate("hiddenW")).isEqualTo("hiddenW");
    assertThat(names.allocate("hidden_w")).isEqualTo("hidden_w2");
    assertThat(names.allocate("HIDDEN_IN")).isEqualTo("HIDDEN_IN");
    assertThat(names.allocate("HIDDENIN")).isEqualTo("HIDDENIN_2");
    assertThat(names.allocate("9lives")).isEqualTo("n9lives");
    assertThat(names.allocate("a-b")).isEqualTo("a_b");
  }

  @Test
  void commentTextCannotEndTheComment() {
    assertThat(JavaNames.commentText("a */ b")).isEqualTo("a *_/ b");
    assertThat(JavaNames.commentText("a /* b")).isEqualTo("a /_* b");
    assertThat(JavaNames.commentText("line\nbreak")).isEqualTo("line?break");
    assertThat(JavaNames.commentText("\\u000a")).isEqualTo("\\\\u000a");
  }
}
