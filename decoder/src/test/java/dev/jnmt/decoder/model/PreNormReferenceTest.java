package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.search.DecoderSession;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The BART-family LayerNorm variants ({@link MarianConfig.Norms}, one flag each) against Hugging Face
 * {@code transformers} itself: tiny random models built from its MBart modules (pre-norm layers, with and
 * without the embedding and final stack LayerNorms) and from its Marian modules with the two stack
 * LayerNorms hooked in (tools/train/make_prenorm_fixture.py wrote the directories and reference.json:
 * torch 2.13.0, transformers 5.18.0). Encoder output, teacher-forced logits and greedy ids of two sentences.
 */
class PreNormReferenceTest {

  private static final Path ROOT = Path.of("src/test/resources/tiny-prenorm");

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static int argmax(float[] v, int from, int n) {
    int best = from;
    for (int i = from + 1; i < from + n; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best - from;
  }

  @ParameterizedTest
  @CsvSource({"all, true, true, true", "layers, true, false, false", "stacknorm, false, true, true"})
  void matchesTransformers(String variant, boolean before, boolean embedding, boolean last) throws IOException {
    Path dir = ROOT.resolve(variant);
    JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
    MarianModel model;
    try (MarianCheckpoint c = MarianCheckpoint.open(dir)) {
      assertEquals(new MarianConfig.Norms(before, embedding, last), c.config().norms());
      model = MarianModel.load(c.config(), c, GemmPrecision.FLOAT32);
    }
    assertEquals(embedding, model.encoderNorms().embedding() != null);
    assertEquals(last, model.decoderNorms().last() != null);
    assertTrue(model.encoderLayers().stream().allMatch(l -> l.normalizeBefore() == before));
    assertTrue(model.decoderLayers().stream().allMatch(l -> l.normalizeBefore() == before));
    int d = model.spec().dModel();
    int vocab = model.spec().targetVocabSize();
    JsonNode sources = ref.get("sources");
    // both sentences in one packed mini-batch: no padding enters jnmt's computation
    int[][] src = {ints(sources.get(0)), ints(sources.get(1))};
    EncodedBatch enc = model.encode(src);
    for (int s = 0; s < src.length; s++) {
      JsonNode rows = ref.get("encoder").get(s);
      double worst = 0;
      for (int r = 0; r < rows.size(); r++) {
        for (int c = 0; c < d; c++) {
          worst = Math.max(worst, Math.abs(enc.hidden()[(enc.offsets()[s] + r) * d + c] - rows.get(r).get(c).asDouble()));
        }
      }
      assertTrue(worst < 1e-5, variant + " encoder " + s + ": max error " + worst);
    }
    for (int s = 0; s < src.length; s++) {
      int[] history = ints(ref.get("histories").get(s));
      JsonNode want = ref.get("logits").get(s);
      float[] logits = new float[vocab];
      try (DecoderSession session = model.startDecoding(model.encode(new int[][] {src[s]}))) {
        for (int t = 0; t < history.length; t++) {
          session.step(new int[] {history[t]}, logits);
          double worst = 0;
          for (int c = 0; c < vocab; c++) {
            worst = Math.max(worst, Math.abs(logits[c] - want.get(t).get(c).asDouble()));
          }
          assertTrue(worst < 2e-5, variant + " sentence " + s + " step " + t + ": logits error " + worst);
        }
      }
      int[] greedy = ints(ref.get("greedy").get(s));
      int[] got = new int[greedy.length];
      try (DecoderSession session = model.startDecoding(model.encode(new int[][] {src[s]}))) {
        int token = model.spec().decoderStartTokenId();
        for (int t = 0; t < greedy.length; t++) {
          session.step(new int[] {token}, logits);
          token = argmax(logits, 0, vocab);
          got[t] = token;
        }
      }
      assertArrayEquals(greedy, got, variant + " greedy ids of sentence " + s);
    }
  }
}
