package dev.jnmt.decoder.model;

/**
 * A token embedding matrix [rows × dim], row-major: float32, or the quantized matrix that a quantized,
 * tied output layer multiplies with (Marian's {@code Wemb} in its int8 models), read back as {@code
 * (float) q · (1/quantMult)} with the reciprocal taken first, in float, as Marian dequantizes it. The
 * lookups read the integers the output layer was prepared from (its prepared B is a rearranged copy), so
 * the embedding never becomes a float matrix.
 */
public sealed interface EmbeddingTable {

  /** Number of rows (vocabulary size). */
  int rows();

  /** Row length (d_model). */
  int dim();

  /** The value at (row, i) as the model uses it. */
  float value(int row, int i);

  /**
   * {@code x[xo + i] = E[id][i]·scale + positions[po + i]}, as two rounded float operations (no fused
   * multiply-add), for i in [0, dim).
   */
  void embed(int id, float scale, float[] positions, int po, float[] x, int xo);

  /** Float32 rows. */
  record Floats(float[] table, int rows, int dim) implements EmbeddingTable {
    public Floats {
      check(table.length, rows, dim);
    }

    @Override
    public float value(int row, int i) {
      return table[row * dim + i];
    }

    @Override
    public void embed(int id, float scale, float[] positions, int po, float[] x, int xo) {
      int eo = id * dim;
      for (int i = 0; i < dim; i++) {
        float e = table[eo + i] * scale;
        x[xo + i] = e + positions[po + i];
      }
    }
  }

  /** 8-bit rows with one multiplier for the matrix. */
  record Int8(byte[] table, float quantMult, int rows, int dim) implements EmbeddingTable {
    public Int8 {
      check(table.length, rows, dim);
    }

    @Override
    public float value(int row, int i) {
      return table[row * dim + i] * (1f / quantMult);
    }

    @Override
    public void embed(int id, float scale, float[] positions, int po, float[] x, int xo) {
      int eo = id * dim;
      float inv = 1f / quantMult;
      for (int i = 0; i < dim; i++) {
        float e = (table[eo + i] * inv) * scale;
        x[xo + i] = e + positions[po + i];
      }
    }
  }

  /** 16-bit rows with one multiplier for the matrix. */
  record Int16(short[] table, float quantMult, int rows, int dim) implements EmbeddingTable {
    public Int16 {
      check(table.length, rows, dim);
    }

    @Override
    public float value(int row, int i) {
      return table[row * dim + i] * (1f / quantMult);
    }

    @Override
    public void embed(int id, float scale, float[] positions, int po, float[] x, int xo) {
      int eo = id * dim;
      float inv = 1f / quantMult;
      for (int i = 0; i < dim; i++) {
        float e = (table[eo + i] * inv) * scale;
        x[xo + i] = e + positions[po + i];
      }
    }
  }

  private static void check(int length, int rows, int dim) {
    if (rows <= 0 || dim <= 0 || length != (long) rows * dim) {
      throw new IllegalArgumentException(
          "embedding table has " + length + " values, expected " + rows + "×" + dim);
    }
  }
}
