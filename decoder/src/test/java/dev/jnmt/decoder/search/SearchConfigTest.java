package dev.jnmt.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import org.junit.jupiter.api.Test;

class SearchConfigTest {

  @Test
  void builderStartsFromHuggingFaceGenerateDefaults() {
    SearchConfig c = SearchConfig.builder(0, 9).build();
    assertEquals(1, c.beamSize());
    assertEquals(1, c.nBest());
    assertEquals(20, c.maxLength());
    assertEquals(1f, c.lengthPenalty());
    assertEquals(0f, c.wordPenalty());
    assertEquals(EarlyStopping.FALSE, c.earlyStopping());
    assertFalse(c.renormalizeLogits());
    assertEquals(0, c.eosId());
    assertEquals(9, c.decoderStartId());
    assertEquals(0, c.badWords().length);
    assertEquals(-1, c.forcedEosId());
    assertEquals(0, c.minLength());
    assertEquals(0, c.noRepeatNgramSize());
    assertEquals(1f, c.repetitionPenalty());
  }

  @Test
  void toBuilderKeepsEveryComponent() {
    int[][] bad = {{9}, {3, 4}};
    SearchConfig c =
        SearchConfig.builder(2, 9)
            .beamSize(5).nBest(3).maxLength(40).lengthPenalty(0.6f).wordPenalty(0.25f)
            .earlyStopping(EarlyStopping.NEVER).renormalizeLogits(true).badWords(bad).forcedEosId(2)
            .minLength(3).noRepeatNgramSize(2).repetitionPenalty(1.2f).build();
    bad[1][0] = 7; // the config keeps its own copy
    SearchConfig d = c.toBuilder().build();
    assertEquals(c.toString().replaceAll("\\[\\[I@\\w+", ""), d.toString().replaceAll("\\[\\[I@\\w+", ""));
    assertArrayEquals(new int[][] {{9}, {3, 4}}, d.badWords());
    assertEquals(2, c.toBuilder().nBest(2).build().nBest());
  }

  @Test
  void invalidValuesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder(0, 1).beamSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder(0, 1).beamSize(2).nBest(3).build());
    assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder(0, 1).maxLength(1).build());
    assertThrows(IllegalArgumentException.class, () -> SearchConfig.builder(0, 1).badWords(new int[][] {{}}).build());
  }
}
