// Over 400 lines: the integer dense layer's factories, its two activation-scaling modes (static, per-row
// dynamic), column selection and per-thread scratch share the same fields; the long class comment is the
// scaling contract.
package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.Epilogue;
import dev.jnmt.intgemm.Int16;
import dev.jnmt.intgemm.Int8;
import dev.jnmt.intgemm.PreparedA;
import dev.jnmt.intgemm.PreparedB;
import dev.jnmt.intgemm.Precision;
import java.util.Arrays;

/**
 * A dense layer on intgemm4j's integer GEMM: the [out × in] weight is quantized once (one multiplier
 * {@code qB} for the whole matrix, as intgemm and Marian) and prepared with {@code
 * prepareBQuantizedTransposed}, the CPU-independent form a converted checkpoint stores.
 *
 * <h2>Activation scaling</h2>
 *
 * <ul>
 *   <li><b>Static</b> (an activation multiplier {@code qA} from a calibrated checkpoint; 8-bit only):
 *       exactly Marian's {@code int8Alpha}/{@code int8shiftAlpha}: {@code A_q = quantize(x·qA)} (values
 *       beyond {@code 127/qA} clip), {@code y = float(Σ A_q·B_q)·(1/(qA·qB)) + bias}; for Int8Shift the
 *       {@code -127·colsum(B_q)} correction is folded into the bias once, here, with intgemm's {@code
 *       PrepareBias}. Rows are independent by construction.
 *   <li><b>Dynamic</b> (no activation multiplier): a deliberate deviation from intgemm/Marian, which use
 *       one {@code 127/max|A|} for the whole A matrix and so make a sentence's result depend on its
 *       mini-batch. Here <b>each row</b> gets its own {@code qA_r = R/max|x_r|} (R = 127 for 8-bit; for
 *       Int16 the largest value that keeps {@code K·R·max|B_q|} below 2^31, so the 32-bit sums never wrap),
 *       is quantized exactly as intgemm's {@code PrepareA(x_r, qA_r)} would, and is unquantized with
 *       {@code 1/(qA_r·qB)}. For Int8Shift the shift is undone before that by subtracting {@code
 *       127·colsum(B_q)} from the sum (in float, exact while both stay below 2^24 in magnitude, which real
 *       layers do by orders of magnitude), which gives the unshifted product wherever no intgemm pair sum
 *       saturates. A row
 *       whose largest magnitude is 0 uses {@code qA = 1}; a row holding NaN or ±Inf gives a NaN output row.
 * </ul>
 *
 * <p>Shapes that intgemm does not accept (in not a multiple of 64 for 8-bit or 32 for 16-bit, out not a
 * multiple of 8) are padded with zero weights and zero activations, which adds nothing to any sum. The
 * integer arithmetic itself, including Int8's 16-bit saturating accumulation and Int8Shift's saturating
 * pair sums, is intgemm's (see {@link Int8} and {@link dev.jnmt.intgemm.Int8Shift}).
 *
 * <p>Immutable and thread-safe; scratch buffers are per thread.
 */
public abstract sealed class QuantizedDense implements Dense
    permits Int16Dense, Int8Dense, Int8ShiftDense {

  final int out;
  final int in;
  final int outPadded;
  final int inPadded;
  final PreparedB weight;
  final float weightQuantMult;
  /** [out], zeros when the layer has no bias. */
  final float[] bias;
  /** The static activation multiplier, or NaN for per-row dynamic scaling. */
  final float activationQuantMult;

  QuantizedDense(
      PreparedB weight, int out, int in, float[] bias, float weightQuantMult, float activationQuantMult) {
    this.weight = weight;
    this.out = out;
    this.in = in;
    this.outPadded = weight.cols();
    this.inPadded = weight.rows();
    this.bias = bias == null ? new float[out] : bias.clone();
    this.weightQuantMult = weightQuantMult;
    this.activationQuantMult = activationQuantMult;
  }

  // ---------------------------------------------------------------------------------------------
  // Factories

  /**
   * Quantizes float32 weights.
   *
   * @param weight [out × in] row-major (the HF Linear layout); not kept
   * @param bias [out], or null
   * @param weightQuantMult the multiplier {@code qB}, or NaN for {@link #weightQuantMult(GemmPrecision,
   *     float, int)} of the weight's largest magnitude
   * @param activationQuantMult a static {@code qA} (8-bit precisions only), or NaN for dynamic scaling
   * @throws IllegalArgumentException for a bad shape, a non-finite weight or multiplier
   */
  public static QuantizedDense fromFloat(
      GemmPrecision precision,
      float[] weight,
      int out,
      int in,
      float[] bias,
      float weightQuantMult,
      float activationQuantMult) {
    checkShape(weight.length, out, in, bias);
    float q =
        Float.isNaN(weightQuantMult)
            ? weightQuantMult(precision, Int8.maxAbsolute(weight), in)
            : weightQuantMult;
    return switch (precision) {
      case INT8, INT8_SHIFT ->
          fromInt8(precision, quantize8(weight, q), out, in, bias, q, activationQuantMult);
      case INT16 -> fromInt16(quantize16(weight, q), out, in, bias, q);
      case FLOAT32 -> throw new IllegalArgumentException("float32 is not a quantized precision");
    };
  }

  /**
   * A layer from already-quantized 8-bit weights (the stored form, [out × in] = N × K), which are
   * rearranged and never converted to float.
   *
   * @throws IllegalArgumentException for a bad shape or multiplier, or a weight of -128
   */
  public static QuantizedDense fromInt8(
      GemmPrecision precision,
      byte[] weight,
      int out,
      int in,
      float[] bias,
      float weightQuantMult,
      float activationQuantMult) {
    if (!precision.is8Bit()) {
      throw new IllegalArgumentException("8-bit weights cannot run with precision " + precision.cliName());
    }
    checkShape(weight.length, out, in, bias);
    checkMult("weight", weightQuantMult);
    if (!Float.isNaN(activationQuantMult)) {
      checkMult("activation", activationQuantMult);
    }
    int kp = roundUp(in, Int8.K_MULTIPLE);
    int np = roundUp(out, Int8.N_MULTIPLE);
    byte[] padded = weight;
    if (kp != in || np != out) {
      padded = new byte[kp * np];
      for (int n = 0; n < out; n++) {
        System.arraycopy(weight, n * in, padded, n * kp, in);
      }
    }
    PreparedB b = Int8.prepareBQuantizedTransposed(padded, kp, np);
    return precision == GemmPrecision.INT8
        ? new Int8Dense(b, out, in, bias, weightQuantMult, activationQuantMult)
        : new Int8ShiftDense(b, out, in, bias, weightQuantMult, activationQuantMult);
  }

  /**
   * A layer from already-quantized 16-bit weights ([out × in]); activations are always scaled per row
   * (Int16 has no static mode: its range leaves no reason to clip).
   */
  public static QuantizedDense fromInt16(
      short[] weight, int out, int in, float[] bias, float weightQuantMult) {
    checkShape(weight.length, out, in, bias);
    checkMult("weight", weightQuantMult);
    int kp = roundUp(in, Int16.K_MULTIPLE);
    int np = roundUp(out, Int16.N_MULTIPLE);
    short[] padded = weight;
    if (kp != in || np != out) {
      padded = new short[kp * np];
      for (int n = 0; n < out; n++) {
        System.arraycopy(weight, n * in, padded, n * kp, in);
      }
    }
    int maxAbs = 0;
    for (short v : weight) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    PreparedB b = Int16.prepareBQuantizedTransposed(padded, kp, np);
    return new Int16Dense(b, out, in, bias, weightQuantMult, int16ActivationRange(kp, maxAbs));
  }

  /**
   * The weight multiplier {@code qB} for a matrix whose largest magnitude is {@code maxAbs}: 8-bit
   * {@code 127/maxAbs} (intgemm, Marian); 16-bit {@code R/maxAbs} with {@code R = ⌊√((2³¹−1)/K)⌋}
   * (capped at 32767) for the padded inner size K, so that weights and activations both get R and no
   * 32-bit sum can wrap. 1 for an all-zero matrix.
   *
   * @throws IllegalArgumentException when maxAbs is NaN or infinite
   */
  public static float weightQuantMult(GemmPrecision precision, float maxAbs, int in) {
    if (!(maxAbs < Float.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("weight has NaN or infinite values");
    }
    if (maxAbs == 0f) {
      return 1f;
    }
    return switch (precision) {
      case INT8, INT8_SHIFT -> 127f / maxAbs;
      case INT16 -> int16WeightRange(roundUp(in, Int16.K_MULTIPLE)) / maxAbs;
      case FLOAT32 -> throw new IllegalArgumentException("float32 is not a quantized precision");
    };
  }

  /** The 16-bit weight range R for padded inner size {@code kp} (see {@link #weightQuantMult}). */
  static float int16WeightRange(int kp) {
    return (float) Math.min(32767.0, Math.floor(Math.sqrt((double) Integer.MAX_VALUE / kp)));
  }

  /** The largest activation magnitude R_A with {@code kp·R_A·maxAbsB ≤ 2³¹−1}, capped at 32767. */
  static float int16ActivationRange(int kp, int maxAbsB) {
    if (maxAbsB == 0) {
      return 32767f;
    }
    return (float) Math.max(1.0, Math.min(32767.0, Math.floor((double) Integer.MAX_VALUE / ((double) kp * maxAbsB))));
  }

  /** intgemm's 8-bit quantization of {@code w} with multiplier {@code q} (same order). */
  public static byte[] quantize8(float[] w, float q) {
    byte[] out = new byte[w.length];
    Int8.quantize(w, 0, out, 0, w.length, q);
    return out;
  }

  /** intgemm's 16-bit quantization of {@code w} with multiplier {@code q} (same order). */
  public static short[] quantize16(float[] w, float q) {
    short[] out = new short[w.length];
    Int16.quantize(w, 0, out, 0, w.length, q);
    return out;
  }

  private static void checkShape(int length, int out, int in, float[] bias) {
    if (out <= 0 || in <= 0) {
      throw new IllegalArgumentException("dense layer shape [" + out + ", " + in + "] is empty");
    }
    if (length != (long) out * in) {
      throw new IllegalArgumentException("dense weight has " + length + " values, expected " + out + "×" + in);
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException("dense bias has " + bias.length + " values, expected " + out);
    }
  }

  private static void checkMult(String what, float q) {
    if (!(q > 0f && q < Float.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(what + " quantization multiplier " + q + " is not a positive finite number");
    }
  }

  static int roundUp(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }

  // ---------------------------------------------------------------------------------------------
  // Properties

  @Override
  public int inFeatures() {
    return in;
  }

  @Override
  public int outFeatures() {
    return out;
  }

  /** The weight multiplier {@code qB}. */
  public float weightQuantMult() {
    return weightQuantMult;
  }

  /** The static activation multiplier {@code qA}, or NaN when rows are scaled dynamically. */
  public float activationQuantMult() {
    return activationQuantMult;
  }

  /** Whether activations use a static multiplier (Marian's precomputed alphas). */
  public boolean hasStaticActivations() {
    return !Float.isNaN(activationQuantMult);
  }

  /** The quantized weight at output row {@code n}, input column {@code k}. */
  public int quantizedWeight(int n, int k) {
    if (n < 0 || n >= out || k < 0 || k >= in) {
      throw new IndexOutOfBoundsException("(" + n + ", " + k + ") outside " + out + "×" + in);
    }
    return weight.quantized(k, n);
  }

  // ---------------------------------------------------------------------------------------------
  // Selection

  @Override
  public final QuantizedDense select(int[] columns) {
    Dense.checkColumns(columns, out);
    // intgemm selects whole panels of 8 columns: pad the list with copies of its first column, whose
    // outputs are dropped like those of the full layer's zero padding.
    int[] padded = Arrays.copyOf(columns, roundUp(columns.length, Int8.N_MULTIPLE));
    Arrays.fill(padded, columns.length, padded.length, columns[0]);
    PreparedB selected =
        weight.precision() == Precision.INT16
            ? Int16.selectColumnsB(weight, padded)
            : Int8.selectColumnsB(weight, padded);
    return selected(selected, columns.length, Dense.gather(bias, columns));
  }

  /** The same layer type and multipliers over selected columns (see {@link #select}). */
  abstract QuantizedDense selected(PreparedB weight, int out, float[] bias);

  // ---------------------------------------------------------------------------------------------
  // Forward pass

  /** The intgemm path of A. */
  final Precision activationPrecision() {
    return precision().intgemm().orElseThrow();
  }

  /** The largest quantized magnitude of a dynamically scaled row. */
  abstract float rowRange();

  abstract void prepareA(float[] a, float quantMult, int rows, int cols, PreparedA out);

  abstract void multiply(PreparedA a, Epilogue epilogue);

  /** Per-column corrections subtracted from the sums in dynamic mode ([outPadded]), or null. */
  float[] dynamicCorrection() {
    return null;
  }

  /** The bias passed to the epilogue in static mode ([outPadded]). */
  float[] staticBias() {
    throw new IllegalStateException("no static activation multiplier");
  }

  @Override
  public void forward(float[] x, int rows, float[] y) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows " + rows + " < 0");
    }
    if (rows == 0) {
      return;
    }
    Scratch s = SCRATCH.get();
    if (hasStaticActivations()) {
      forwardStatic(x, rows, y, s);
    } else {
      forwardDynamic(x, rows, y, s);
    }
  }

  private void forwardStatic(float[] x, int rows, float[] y, Scratch s) {
    float[] a = x;
    if (inPadded != in) {
      a = s.activations(rows * inPadded);
      for (int r = 0; r < rows; r++) {
        System.arraycopy(x, r * in, a, r * inPadded, in);
        Arrays.fill(a, r * inPadded + in, (r + 1) * inPadded, 0f);
      }
    }
    PreparedA pa = s.prepared(activationPrecision(), rows * inPadded);
    prepareA(a, activationQuantMult, rows, inPadded, pa);
    float[] o = outPadded == out ? y : s.output(rows * outPadded);
    multiply(pa, new Epilogue.UnquantizeAndAddBiasAndWrite(Int8.unquantMult(activationQuantMult, weightQuantMult), staticBias(), o));
    if (o != y) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(o, r * outPadded, y, r * out, out);
      }
    }
  }

  private void forwardDynamic(float[] x, int rows, float[] y, Scratch s) {
    float[] a = s.activations(rows * inPadded);
    float[] mult = s.rowMults(rows);
    float range = rowRange();
    for (int r = 0; r < rows; r++) {
      int xo = r * in;
      int ao = r * inPadded;
      float m = Int8.maxAbsolute(x, xo, xo + in);
      boolean finite = m < Float.POSITIVE_INFINITY;
      float q = finite && m > 0f ? range / m : 1f;
      mult[r] = finite ? q : Float.NaN;
      scaleRow(x, xo, a, ao, in, q);
      Arrays.fill(a, ao + in, ao + inPadded, 0f);
    }
    PreparedA pa = s.prepared(activationPrecision(), rows * inPadded);
    // fl(fl(x·q)·1) = fl(x·q): quantizing the pre-scaled row with multiplier 1 is exactly intgemm's
    // PrepareA of the row with multiplier q.
    prepareA(a, 1f, rows, inPadded, pa);
    // The float epilogue with multiplier 1 stores (float) sum exactly as intgemm converts it (and takes the
    // kernels' fast panels, which the raw int32 epilogue does not); the per-row pass finishes in place.
    float[] c = outPadded == out ? y : s.output(rows * outPadded);
    multiply(pa, new Epilogue.UnquantizeAndWrite(1f, c));
    float[] correction = dynamicCorrection();
    for (int r = 0; r < rows; r++) {
      if (Float.isNaN(mult[r])) {
        Arrays.fill(y, r * out, (r + 1) * out, Float.NaN);
      } else {
        unquantizeRow(c, r * outPadded, correction, Int8.unquantMult(mult[r], weightQuantMult), bias, y, r * out, out);
      }
    }
  }

  /** {@code a[ao + i] = x[xo + i] · q} for i in [0, n). */
  static void scaleRow(float[] x, int xo, float[] a, int ao, int n, float q) {
    for (int i = 0; i < n; i++) {
      a[ao + i] = x[xo + i] * q;
    }
  }

  /**
   * {@code y[yo + i] = (c[co + i] − correction[i]) · unquantMult + bias[i]} where {@code c} holds the
   * integer sums converted to float: the arithmetic of intgemm's {@code UnquantizeAndAddBiasAndWrite}
   * (multiply, then a separate add), after the shift correction. {@code y} may be {@code c} itself
   * ({@code yo <= co}).
   */
  static void unquantizeRow(
      float[] c, int co, float[] correction, float unquantMult, float[] bias, float[] y, int yo, int n) {
    if (correction == null) {
      for (int i = 0; i < n; i++) {
        y[yo + i] = c[co + i] * unquantMult + bias[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        y[yo + i] = (c[co + i] - correction[i]) * unquantMult + bias[i];
      }
    }
  }

  /** Bias padded with zeros to outPadded columns. */
  float[] paddedBias() {
    return Arrays.copyOf(bias, outPadded);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + out + "×" + in + ", qB " + weightQuantMult
        + (hasStaticActivations() ? ", static qA " + activationQuantMult : ", dynamic rows") + "]";
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Per-thread buffers, grown on demand and reused across layers and calls. */
  private static final class Scratch {
    private float[] activations = new float[0];
    private float[] output = new float[0];
    private float[] rowMults = new float[0];
    private final PreparedA[] prepared = new PreparedA[Precision.values().length];

    float[] activations(int n) {
      if (activations.length < n) {
        activations = new float[grow(n)];
      }
      return activations;
    }

    float[] output(int n) {
      if (output.length < n) {
        output = new float[grow(n)];
      }
      return output;
    }

    float[] rowMults(int n) {
      if (rowMults.length < n) {
        rowMults = new float[grow(n)];
      }
      return rowMults;
    }

    PreparedA prepared(Precision p, int n) {
      PreparedA a = prepared[p.ordinal()];
      if (a == null || a.capacity() < n) {
        a = PreparedA.allocate(p, grow(n));
        prepared[p.ordinal()] = a;
      }
      return a;
    }

    private static int grow(int n) {
      return (int) Math.min(Integer.MAX_VALUE - 16, n + (long) n / 4);
    }
  }
}
