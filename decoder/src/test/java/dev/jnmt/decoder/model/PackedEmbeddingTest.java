package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.MarianCheckpointWriter;
import dev.jnmt.decoder.io.MarianNames;
import dev.jnmt.intgemm.FloatGemm;
import dev.jnmt.intgemm.FloatPreparedB;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddingTable.Packed}: a tied float32 output layer's packed matrix read back as the embedding
 * gives, bit for bit, the rows it was packed from and the lookups {@link EmbeddingTable.Floats} gives, for
 * vocabularies that are not a multiple of the panel width (the last panel padded); and {@link LayerLoader}
 * builds it exactly when the float32 output layer is tied (shared or separate source embedding), so the
 * row-major copy is not kept. Runs at every vector width (the suite's width executions: panel width 16 or
 * 32).
 */
class PackedEmbeddingTest {

  @TempDir Path tmp;

  @Test
  void everyRowAndLookupEqualsTheRowMajorTable() {
    SplittableRandom r = new SplittableRandom(5);
    int pw = FloatGemm.prepareBTransposed(new float[1], 1, 1).panelWidth();
    for (int[] shape : new int[][] {{1, 1}, {37, 64}, {pw + 1, 5}, {3 * pw - 1, 33}, {203, 129}}) {
      int rows = shape[0];
      int dim = shape[1];
      float[] e = QuantizedDenseTest.gaussian(r, rows * dim, 1.0);
      e[0] = -0f;
      e[e.length - 1] = Float.MIN_VALUE; // a subnormal
      EmbeddingTable.Floats plain = new EmbeddingTable.Floats(e.clone(), rows, dim);
      FloatPreparedB b = FloatGemm.prepareBTransposed(e, dim, rows);
      EmbeddingTable.Packed packed = new EmbeddingTable.Packed(b);
      assertEquals(rows, packed.rows());
      assertEquals(dim, packed.dim());
      float[] pos = QuantizedDenseTest.gaussian(r, 3 * dim, 1.0);
      float[] want = new float[dim + 2];
      float[] got = new float[dim + 2];
      for (int row = 0; row < rows; row++) {
        for (int i = 0; i < dim; i++) {
          assertEquals(Float.floatToRawIntBits(e[row * dim + i]), Float.floatToRawIntBits(packed.value(row, i)),
              rows + "×" + dim + " E[" + row + "][" + i + "]");
        }
        for (float scale : new float[] {1f, (float) Math.sqrt(dim), 0.37f}) {
          int po = (row % 3) * dim;
          plain.embed(row, scale, pos, po, want, 1);
          packed.embed(row, scale, pos, po, got, 1);
          for (int i = 0; i < dim + 2; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                rows + "×" + dim + " row " + row + " scale " + scale + " x[" + i + "]");
          }
        }
      }
      assertThrows(IndexOutOfBoundsException.class, () -> packed.embed(rows, 1f, pos, 0, got, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> packed.embed(-1, 1f, pos, 0, got, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> packed.value(rows, 0));
    }
  }

  @Test
  void theLoaderReadsATiedFloat32EmbeddingFromTheOutputLayer() {
    MarianConfig.Builder base =
        MarianConfig.builder().dModel(32).encoder(1, 4, 64).decoder(1, 4, 64).activation(Activation.SWISH)
            .scaleEmbedding(true).maxPositions(16);
    // shared and tied: one packed table for both sides
    MarianConfig shared = base.vocab(45).tieWordEmbeddings(true).tokens(44, 0, 44).build();
    Map<String, float[]> w = load(shared, "shared", GemmPrecision.FLOAT32, (enc, dec, out) -> {
      assertInstanceOf(EmbeddingTable.Packed.class, dec);
      assertSame(dec, enc);
    });
    // the int8 precision keeping the output layer float32 ties the same way
    load(shared, "shared", GemmPrecision.INT8, new LayerLoader.Options(true, true, null), (enc, dec, out) -> {
      assertInstanceOf(EmbeddingTable.Packed.class, dec);
      assertSame(dec, enc);
      assertEquals(GemmPrecision.FLOAT32, out.precision());
    });
    // separate vocabularies, tied: the target side is packed, the source side stays row-major
    MarianConfig separate =
        base.vocab(45).decoderVocab(39).shareEmbeddings(false).tieWordEmbeddings(true).tokens(38, 0, 38).build();
    load(separate, "separate", GemmPrecision.FLOAT32, (enc, dec, out) -> {
      assertInstanceOf(EmbeddingTable.Packed.class, dec);
      assertInstanceOf(EmbeddingTable.Floats.class, enc);
    });
    // untied: the output layer has its own matrix and the embedding stays row-major
    MarianConfig untied = base.vocab(45).shareEmbeddings(true).decoderVocab(45).tieWordEmbeddings(false).tokens(44, 0, 44).build();
    load(untied, "untied", GemmPrecision.FLOAT32, (enc, dec, out) -> {
      assertInstanceOf(EmbeddingTable.Floats.class, dec);
      assertSame(dec, enc);
    });
    assertEquals(45 * 32, w.get(MarianNames.SHARED).length);
  }

  private interface Check {
    void check(EmbeddingTable enc, EmbeddingTable dec, Dense out);
  }

  private Map<String, float[]> load(MarianConfig c, String name, GemmPrecision p, Check check) {
    return load(c, name, p, LayerLoader.Options.defaults(), check);
  }

  /** Writes c with random weights, loads its tables, checks them and that each table holds the stored rows. */
  private Map<String, float[]> load(MarianConfig c, String name, GemmPrecision p, LayerLoader.Options o, Check check) {
    Path dir = tmp.resolve(name + "-" + p.cliName());
    Map<String, float[]> w = MarianCheckpointWriter.randomWeights(c, 3);
    MarianCheckpointWriter.write(dir, c, w, Map.of("format", "pt"));
    try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
      LayerLoader.Tables t = LayerLoader.of(ck, p, o).tables(ck.config());
      check.check(t.encoder(), t.decoder(), t.output());
      boolean share = c.shareEncoderDecoderEmbeddings();
      assertRows(w.get(share ? MarianNames.SHARED : MarianNames.ENCODER_EMBEDDING), t.encoder(), name);
      assertRows(w.get(share ? MarianNames.SHARED : MarianNames.DECODER_EMBEDDING), t.decoder(), name);
    }
    return w;
  }

  private static void assertRows(float[] e, EmbeddingTable t, String what) {
    assertEquals(e.length, t.rows() * t.dim(), what);
    for (int row = 0; row < t.rows(); row++) {
      for (int i = 0; i < t.dim(); i++) {
        assertEquals(Float.floatToRawIntBits(e[row * t.dim() + i]), Float.floatToRawIntBits(t.value(row, i)),
            what + " E[" + row + "][" + i + "]");
      }
    }
  }
}
