package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.FloatPreparedB;
import java.util.Objects;

/**
 * A token embedding matrix [rows × dim], row-major: float32, or the quantized matrix that a quantized,
 * tied output layer multiplies with (Marian's {@code Wemb} in its int8 models), read back as {@code
 * (float) q · (1/quantMult)} with the reciprocal taken first, in float, as Marian dequantizes it. The
 * lookups read the integers the output layer was prepared from (its prepared B is a rearranged copy), so
 * the embedding never becomes a float matrix. Likewise a float32 output layer tied to the embedding is
 * read back from its packed matrix ({@link Packed}): the model holds one copy of the embedding, not two.
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

  /**
   * Float32 rows read from the packed B of a tied float32 output layer ({@link Float32Dense}: B = Eᵀ, so
   * row n of E is column n of B), bit for bit the rows it was packed from; a lookup is d strided loads
   * ({@link FloatPreparedB#column}).
   *
   * @param matrix B [dim × rows], as {@code FloatGemm.prepareBTransposed(E, dim, rows)} packs it
   */
  record Packed(FloatPreparedB matrix) implements EmbeddingTable {
    public Packed {
      Objects.requireNonNull(matrix, "matrix");
    }

    @Override
    public int rows() {
      return matrix.cols();
    }

    @Override
    public int dim() {
      return matrix.rows();
    }

    @Override
    public float value(int row, int i) {
      Objects.checkIndex(row, matrix.cols());
      return matrix.get(i, row);
    }

    @Override
    public void embed(int id, float scale, float[] positions, int po, float[] x, int xo) {
      matrix.column(id, x, xo);
      int dim = matrix.rows();
      for (int i = 0; i < dim; i++) {
        float e = x[xo + i] * scale;
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
