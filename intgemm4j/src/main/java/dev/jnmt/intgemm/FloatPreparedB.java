package dev.jnmt.intgemm;

import java.util.Objects;

/**
 * A float32 B matrix [rows × cols] (K × N) packed for {@link FloatGemm#multiply}; immutable and safe to share
 * between threads.
 *
 * <p>Layout: the columns are cut into panels of {@link #panelWidth()} columns; panel {@code p} holds, for
 * k = 0..K-1 in order, the {@code panelWidth} values B[k][p·panelWidth + j], so a kernel streams one panel
 * front to back. The last panel is padded with zeros. The panel width follows the JVM's vector width (two
 * vectors: 16 floats at 256 bits), so a prepared B is an in-memory object only: it is never persisted, and
 * it is rebuilt from the float weights at load time.
 */
public final class FloatPreparedB {
  private final float[] data;
  private final int rows;
  private final int cols;
  private final int panelWidth;

  FloatPreparedB(float[] data, int rows, int cols, int panelWidth) {
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.panelWidth = panelWidth;
  }

  /** K: the inner dimension (rows of B, columns of A). */
  public int rows() {
    return rows;
  }

  /** N: the output columns. */
  public int cols() {
    return cols;
  }

  /** Columns per panel. */
  public int panelWidth() {
    return panelWidth;
  }

  /** Number of panels, the last one possibly padded. */
  public int panels() {
    return (cols + panelWidth - 1) / panelWidth;
  }

  /** The packed values; package-private so that nothing outside the kernels can change them. */
  float[] data() {
    return data;
  }

  /** Packed value of B[k][n] (0 for padding columns); for tests and diagnostics. */
  public float get(int k, int n) {
    if (k < 0 || k >= rows || n < 0 || n >= panels() * panelWidth) {
      throw new IndexOutOfBoundsException(
          "B[" + k + "][" + n + "] outside prepared B [" + rows + " × " + cols + "]");
    }
    int p = n / panelWidth;
    return data[(p * rows + k) * panelWidth + n % panelWidth];
  }

  /**
   * Copies column {@code n} of B, i.e. B[k][n] for k = 0..K-1, into {@code dst[off..off+K)}: row n of the Bᵀ
   * that {@link FloatGemm#prepareBTransposed} packed (a tied output layer's embedding row), bit for bit. Reads
   * one value per panel row, so it costs K strided loads; allocates nothing.
   *
   * @throws IndexOutOfBoundsException when n is not in [0, cols()) or dst has no room for K values at off
   */
  public void column(int n, float[] dst, int off) {
    Objects.checkIndex(n, cols);
    Objects.checkFromIndexSize(off, rows, dst.length);
    int pw = panelWidth;
    int src = (n / pw) * rows * pw + n % pw;
    for (int k = 0; k < rows; k++) {
      dst[off + k] = data[src + k * pw];
    }
  }

  @Override
  public String toString() {
    return "FloatPreparedB[" + rows + " × " + cols + ", panel " + panelWidth + "]";
  }
}
