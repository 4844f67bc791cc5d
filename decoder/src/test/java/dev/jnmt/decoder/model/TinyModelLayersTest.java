package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.search.DecoderSession;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forward pass against PyTorch (tools/train/marian_model.py) on the committed tiny random model:
 * embeddings, encoder output of two sentences that PyTorch ran as one right-padded batch, and three
 * incremental decoder steps (decoder/src/test/fixtures/make_tiny_fixture.py wrote layers.json).
 */
class TinyModelLayersTest {

  static final Path DIR = Path.of("src/test/resources/tiny-random");
  private static MarianModel model;
  private static JsonNode ref;

  @BeforeAll
  static void load() throws IOException {
    try (MarianCheckpoint c = MarianCheckpoint.open(DIR)) {
      model = MarianModel.load(c.config(), c, GemmPrecision.FLOAT32);
    }
    ref = new ObjectMapper().readTree(DIR.resolve("layers.json").toFile());
  }

  @AfterAll
  static void free() {
    model = null;
  }

  private static int[][] sources() {
    JsonNode s = ref.get("sources");
    int[][] out = new int[s.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new int[s.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = s.get(i).get(j).asInt();
      }
    }
    return out;
  }

  /** Max |a − b| over a sentence's rows, relative to max(1, |b|). */
  private static void close(JsonNode rows, float[] x, int rowOffset, int d, double tol, String what) {
    double worst = 0;
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < d; c++) {
        double want = rows.get(r).get(c).asDouble();
        double got = x[(rowOffset + r) * d + c];
        worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
      }
    }
    assertTrue(worst <= tol, what + ": max relative error " + worst);
  }

  @Test
  void embeddingsMatchPyTorch() {
    int d = model.spec().dModel();
    int[][] src = sources();
    for (int s = 0; s < src.length; s++) {
      float[] x = new float[src[s].length * d];
      for (int i = 0; i < src[s].length; i++) {
        model.embeddings().embedSource(src[s][i], i, x, i * d);
      }
      close(ref.get("embedding").get(s), x, 0, d, 1e-6, "embedding " + s);
    }
  }

  @Test
  void encoderMatchesPaddedPyTorchBatch() {
    int[][] src = sources();
    assertTrue(src[0].length != src[1].length, "the fixture pads one sentence");
    EncodedBatch enc = model.encode(src);
    for (int s = 0; s < src.length; s++) {
      close(ref.get("encoder").get(s), enc.hidden(), enc.offsets()[s], enc.d(), 1e-5, "encoder " + s);
    }
  }

  @Test
  void decoderStepsMatchPyTorch() {
    int[][] src = sources();
    EncodedBatch enc = model.encode(src);
    int vocab = model.spec().targetVocabSize();
    JsonNode steps = ref.get("steps");
    try (DecoderSession session = model.startDecoding(enc)) {
      float[] logits = new float[2 * vocab];
      for (int t = 0; t < steps.size(); t++) {
        int[] tokens = {steps.get(t).get(0).asInt(), steps.get(t).get(1).asInt()};
        session.step(tokens, logits);
        for (int r = 0; r < 2; r++) {
          JsonNode want = ref.get("logits").get(t).get(r);
          double worst = 0;
          for (int c = 0; c < want.size(); c++) {
            worst = Math.max(worst, Math.abs(logits[r * vocab + c] - want.get(c).asDouble()));
          }
          assertTrue(worst < 2e-5, "step " + t + " row " + r + " logits error " + worst);
          double max = Double.NEGATIVE_INFINITY;
          int arg = -1;
          double sum = 0;
          for (int c = 0; c < vocab; c++) {
            double v = logits[r * vocab + c];
            if (v > max) {
              max = v;
              arg = c;
            }
          }
          for (int c = 0; c < vocab; c++) {
            sum += Math.exp(logits[r * vocab + c] - max);
          }
          assertEquals(ref.get("argmax").get(t).get(r).asInt(), arg, "argmax step " + t + " row " + r);
          assertEquals(ref.get("logsumexp").get(t).get(r).asDouble(), max + Math.log(sum), 2e-5);
        }
      }
    }
  }

  @Test
  void reorderedRowsContinueTheirParentsHistory() {
    int[][] src = sources();
    int vocab = model.spec().targetVocabSize();
    int start = model.spec().decoderStartTokenId();
    // Row histories [start, 5] for sentence 0 and [start, 17] for sentence 1, then duplicate and swap.
    float[] a = new float[3 * vocab];
    try (DecoderSession s = model.startDecoding(model.encode(src))) {
      s.step(new int[] {start, start}, a);
      s.step(new int[] {5, 17}, a);
      s.reorder(new int[] {1, 0, 1});
      s.step(new int[] {9, 9, 9}, a);
    }
    float[] b = new float[vocab];
    try (DecoderSession s = model.startDecoding(model.encode(new int[][] {src[1]}))) {
      s.step(new int[] {start}, b);
      s.step(new int[] {17}, b);
      s.step(new int[] {9}, b);
    }
    for (int c = 0; c < vocab; c++) {
      assertEquals(b[c], a[c], "row 0 = sentence 1 alone, column " + c);
      assertEquals(b[c], a[2 * vocab + c], "row 2 = copy of sentence 1, column " + c);
    }
  }
}
