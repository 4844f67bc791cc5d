package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.convert.CheckpointConverter;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.MarianCheckpointWriter;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.search.DecoderSession;
import dev.jnmt.decoder.shortlist.BatchColumns;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import dev.jnmt.decoder.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortlist output layer: a session started with {@link BatchColumns} gives, for every row, bit for
 * bit the full-vocabulary logits at its sentence's allowed ids and −∞ everywhere else, through reorders
 * that duplicate and drop rows. For tied and untied output layers with a random final_logits_bias, every
 * precision a checkpoint runs with: float32 files at float32, int16, int8, int8shift; annotated files at
 * all four; int16 files; int8 files (quantized or float32 output layer) at int8 and int8shift. The
 * surefire executions {@code shortlist-width-128} and {@code shortlist-width-0} rerun this class at
 * 128-bit and scalar kernels.
 */
class ShortlistColumnsTest {

  static final int V = 72;
  static final int PAD = V - 1;

  @TempDir static Path tmp;
  static Shortlist shortlist;
  static final int[][] SOURCES = {{5, 9, 13, 0}, {20, 0}, {33, 34, 35, 36, 37, 0}};

  @BeforeAll
  static void table() throws IOException {
    List<String> pieces = new ArrayList<>();
    pieces.add("</s>");
    pieces.add("<unk>");
    for (int i = 2; i < PAD; i++) {
      pieces.add("p" + i);
    }
    pieces.add("<pad>");
    Vocabulary v = Vocabulary.of(pieces);
    SplittableRandom rnd = new SplittableRandom(7);
    StringBuilder lex = new StringBuilder();
    for (int s = 2; s < PAD; s++) {
      for (int k = 0; k < 4; k++) {
        lex.append("p").append(2 + rnd.nextInt(PAD - 2)).append(" p").append(s).append(' ').append(rnd.nextDouble()).append('\n');
      }
    }
    Path f = Files.writeString(tmp.resolve("lex.s2t"), lex);
    shortlist = Shortlist.load(ShortlistSpec.of(f, 4, 2), v, v);
  }

  static Path model(String name, boolean tied) {
    MarianConfig c = MarianConfig.builder().vocab(V).tieWordEmbeddings(tied).dModel(64).encoder(1, 4, 128).decoder(2, 4, 96).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(64).tokens(PAD, 0, PAD).build();
    Path dir = tmp.resolve(name);
    MarianCheckpointWriter.write(dir, c, MarianCheckpointWriter.randomWeights(c, tied ? 11 : 12), Map.of("format", "pt"));
    return dir;
  }

  static Path convert(Path from, String name, QuantFormat format, boolean keepOutputFloat) throws IOException {
    Path to = tmp.resolve(name);
    CheckpointConverter.convert(new CheckpointConverter.Request(from, to, format, null, null, keepOutputFloat, false, "test", 1, s -> {}));
    return to;
  }

  @Test
  void selectedColumnsEqualTheFullLogitsBitForBit() throws IOException {
    int checked = 0;
    for (boolean tied : new boolean[] {true, false}) {
      String t = tied ? "tied" : "untied";
      Path f32 = model(t, tied);
      Path annotated = convert(f32, t + "-annotated", QuantFormat.ANNOTATED, false);
      Path int16 = convert(f32, t + "-int16", QuantFormat.INT16, false);
      Path int8 = convert(f32, t + "-int8", QuantFormat.INT8, false);
      Path int8FloatOut = convert(f32, t + "-int8-float-output", QuantFormat.INT8, true);
      List<GemmPrecision> all = List.of(GemmPrecision.values());
      checked += check(f32, all);
      checked += check(annotated, all);
      checked += check(int16, List.of(GemmPrecision.INT16));
      checked += check(int8, List.of(GemmPrecision.INT8, GemmPrecision.INT8_SHIFT));
      checked += check(int8FloatOut, List.of(GemmPrecision.INT8, GemmPrecision.INT8_SHIFT));
    }
    assertEquals(2 * (4 + 4 + 1 + 2 + 2), checked);
  }

  /** Steps a full and a shortlist session side by side and compares every logit; returns precisions checked. */
  static int check(Path dir, List<GemmPrecision> precisions) {
    for (GemmPrecision p : precisions) {
      MarianModel m;
      try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
        m = MarianModel.load(ck.config(), ck, p);
      }
      String what = dir.getFileName() + " at " + p.cliName();
      EncodedBatch enc = m.encode(SOURCES);
      BatchColumns cols = BatchColumns.of(shortlist, SOURCES, new int[] {0, 1, PAD});
      assertEquals(0, cols.columnCount() % 8, what + ": columns padded to a multiple of 8");
      try (DecoderSession full = m.startDecoding(enc); DecoderSession sl = m.startDecoding(enc, cols)) {
        int[] rowSentence = {0, 1, 2};
        int[][] tokens = {{PAD, PAD, PAD}, {4, 7, 9, 5}, {3, 6}, {10, 11}};
        int[][] parents = {null, {2, 0, 0, 1}, {3, 1}, null};
        for (int step = 0; step < tokens.length; step++) {
          if (parents[step] != null) {
            full.reorder(parents[step]);
            sl.reorder(parents[step]);
            int[] s = new int[parents[step].length];
            for (int i = 0; i < s.length; i++) {
              s[i] = rowSentence[parents[step][i]];
            }
            rowSentence = s;
          }
          int rows = tokens[step].length;
          float[] a = new float[rows * V];
          int stride = sl.logitsStride();
          assertEquals(cols.maxAllowedCount(), stride, what);
          float[] b = new float[rows * stride];
          full.step(tokens[step], a);
          sl.step(tokens[step], b);
          for (int r = 0; r < rows; r++) {
            int[] ids = sl.rowIds(r);
            assertArrayEquals(cols.allowedIds(rowSentence[r]), ids, what + ": row " + r + " holds its sentence's ids");
            for (int k = 0; k < ids.length; k++) {
              float want = a[r * V + ids[k]];
              assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(b[r * stride + k]),
                  what + ": step " + step + " row " + r + " id " + ids[k] + ": " + want + " vs " + b[r * stride + k]);
            }
          }
        }
      }
    }
    return precisions.size();
  }
}
