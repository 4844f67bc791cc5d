package dev.jnmt.decoder.model;

import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.io.DType;
import dev.jnmt.decoder.io.MarianNames;
import dev.jnmt.decoder.io.TensorInfo;
import dev.jnmt.decoder.io.TensorSource;
import dev.jnmt.intgemm.Int8;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the embeddings and dense layers of a MarianMT model from a checkpoint, for a precision:
 *
 * <ul>
 *   <li>float32: every layer float32 (the annotations of an annotated checkpoint are ignored; int8/int16
 *       checkpoints are refused).
 *   <li>a quantized precision on a plain checkpoint: every attention projection, FFN matrix and the
 *       output layer (unless {@link Options#keepOutputFloat()}) is quantized at load with the matrix's
 *       largest magnitude; activations are scaled per row.
 *   <li>on a converted checkpoint ({@link QuantFormat}): exactly the matrices with a {@code _scale} are
 *       quantized, with that multiplier (16-bit recomputes its own from float weights); stored I8/I16
 *       matrices are prepared from their integers and never become float. Activation multipliers
 *       ({@code _act_scale}) are used by int8 and int8shift when {@link Options#useActivationScales()}.
 * </ul>
 *
 * <p>When the output layer is quantized and tied to the embedding, the embedding lookups read the same
 * quantized matrix ({@link EmbeddingTable}), so an int8 file and the annotated file it came from give the
 * same model; when it is float32 and tied, they read its packed matrix ({@link EmbeddingTable.Packed}), so
 * the embedding is held once. Errors are {@link CheckpointException}s with a one-line message naming the tensor.
 */
public final class LayerLoader {

  /**
   * Load-time choices.
   *
   * @param keepOutputFloat keep the output layer (and so the tied embedding) float32 when quantizing a
   *     plain checkpoint at load (converted checkpoints say themselves which matrices are quantized)
   * @param useActivationScales use a checkpoint's {@code _act_scale} tensors (static activation
   *     multipliers, 8-bit only); false scales every row dynamically
   * @param observer when non-null, every dense layer is wrapped in an {@link ObservedDense} (calibration)
   */
  public record Options(boolean keepOutputFloat, boolean useActivationScales, ObservedDense.Observer observer) {
    /** Quantize the output layer, use activation scales when present, no observer. */
    public static Options defaults() {
      return new Options(false, true, null);
    }
  }

  /** The embedding tables and the output layer. */
  public record Tables(EmbeddingTable encoder, EmbeddingTable decoder, Dense output) {}

  /** An integer matrix [out × in] with its multiplier: {@code byte[]} or {@code short[]} values. */
  private record Quantized(Object values, float quantMult) {}

  private final TensorSource source;
  private final GemmPrecision precision;
  private final Options options;
  private final QuantFormat format;
  private LayerLoader(TensorSource source, GemmPrecision precision, Options options, QuantFormat format) {
    this.source = source;
    this.precision = precision;
    this.options = options;
    this.format = format;
  }

  /** The file that stores a tensor, for error messages. */
  private String where(String tensor) {
    return source.location(tensor);
  }

  /**
   * A loader for a checkpoint and precision.
   *
   * @throws CheckpointException when the checkpoint's stored precision cannot run with {@code precision}
   */
  public static LayerLoader of(TensorSource source, GemmPrecision precision, Options options) {
    QuantFormat format = QuantFormat.of(source);
    if (!precision.runs(format)) {
      throw new PrecisionMismatchException(source.location(""), format, precision);
    }
    return new LayerLoader(source, precision, options, format);
  }

  /** The checkpoint's format. */
  public QuantFormat format() {
    return format;
  }

  /** The precision layers are built for. */
  public GemmPrecision precision() {
    return precision;
  }

  /**
   * The encoder and decoder embeddings and the output layer (with {@code final_logits_bias}), following
   * HF's tie rules (resolved by the tensor source, see {@code MarianCheckpoint}).
   */
  public Tables tables(MarianConfig spec) {
    int d = spec.dModel();
    int vs = spec.sourceVocabSize();
    int vt = spec.targetVocabSize();
    String encName;
    String decName;
    if (spec.shareEncoderDecoderEmbeddings()) {
      encName =
          firstPresent(MarianNames.sharedEmbeddingCandidates(true).toArray(String[]::new));
      decName = encName;
    } else {
      encName = firstPresent(MarianNames.ENCODER_EMBEDDING);
      decName = firstPresent(MarianNames.DECODER_EMBEDDING);
    }
    // HF ties lm_head to the decoder input embedding unless tie_word_embeddings is false.
    String outName = spec.tieWordEmbeddings() ? decName : MarianNames.OUTPUT_LAYER;
    float[] bias = source.floats(firstPresent(MarianNames.FINAL_LOGITS_BIAS), 1, vt);
    EmbeddingTable dec;
    Dense output;
    if (quantizes(outName, true)) {
      Quantized q = quantized(outName, vt, d);
      output = observe(MarianNames.OUTPUT_LAYER, quantizedLayer(q, vt, d, bias, MarianNames.OUTPUT_LAYER));
      dec = spec.tieWordEmbeddings() ? table(q, vt, d) : table(decName, vt, d);
    } else if (outName.equals(decName) && !isInteger(decName)) {
      // Tied float32: the lookups read the output layer's packed matrix, the row-major copy is dropped.
      Float32Dense tied = new Float32Dense(floats(decName, vt, d), vt, d, bias);
      output = observe(MarianNames.OUTPUT_LAYER, tied);
      dec = new EmbeddingTable.Packed(tied.packedWeight());
    } else {
      dec = table(decName, vt, d);
      output = observe(MarianNames.OUTPUT_LAYER, Dense.create(GemmPrecision.FLOAT32, floats(outName, vt, d), vt, d, bias));
    }
    EmbeddingTable enc = encName.equals(decName) ? dec : table(encName, vs, d);
    return new Tables(enc, dec, output);
  }

  /**
   * A dense layer {@code prefix + "weight"} [out × in] with bias {@code prefix + "bias"} [out].
   */
  public Dense dense(String prefix, int out, int in) {
    String w = prefix + MarianNames.WEIGHT;
    float[] bias = source.floats(prefix + MarianNames.BIAS, out);
    Dense layer;
    if (quantizes(w, false)) {
      layer = quantizedLayer(quantized(w, out, in), out, in, bias, w);
    } else {
      layer = Dense.create(GemmPrecision.FLOAT32, floats(w, out, in), out, in, bias);
    }
    return observe(w, layer);
  }

  /** A LayerNorm {@code prefix + "weight"}, {@code prefix + "bias"} over d. */
  public LayerNorm layerNorm(String prefix, int d) {
    return new LayerNorm(
        source.floats(prefix + MarianNames.WEIGHT, d), source.floats(prefix + MarianNames.BIAS, d),
        MarianConfig.LAYER_NORM_EPS);
  }

  /** An attention block's four projections under {@code prefix} ({@code ...self_attn.}). */
  public Dense[] projections(String prefix, int d) {
    Dense[] p = new Dense[MarianNames.PROJECTIONS.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = dense(prefix + MarianNames.PROJECTIONS.get(i), d, d);
    }
    return p;
  }

  /** A stored position table [maxPositions × d], or null when the checkpoint has none (sinusoids). */
  public float[] positions(String name, MarianConfig spec) {
    if (!source.contains(name)) {
      return null;
    }
    return source.floats(name, spec.maxPositionEmbeddings(), spec.dModel());
  }

  private Dense observe(String name, Dense layer) {
    return options.observer() == null ? layer : new ObservedDense(name, layer, options.observer());
  }

  /** Whether the matrix behind {@code weight} is quantized for this precision. */
  private boolean quantizes(String weight, boolean outputLayer) {
    if (!precision.isQuantized()) {
      return false;
    }
    if (format == QuantFormat.FLOAT32) {
      return !(outputLayer && options.keepOutputFloat());
    }
    return source.contains(QuantFormat.scaleName(source, weight));
  }

  private Quantized quantized(String weight, int out, int in) {
    TensorInfo info = source.info(weight);
    String scaleName = QuantFormat.scaleName(source, weight);
    boolean stored = source.contains(scaleName);
    switch (info.dtype()) {
      case I8 -> {
        requireScale(weight, stored, scaleName);
        return new Quantized(source.bytes(weight, out, in), scale(scaleName));
      }
      case I16 -> {
        requireScale(weight, stored, scaleName);
        return new Quantized(source.shorts(weight, out, in), scale(scaleName));
      }
      default -> {
        float[] w = floats(weight, out, in);
        float q;
        if (stored && precision.is8Bit()) {
          q = scale(scaleName);
        } else {
          try {
            q = QuantizedDense.weightQuantMult(precision, Int8.maxAbsolute(w), in);
          } catch (IllegalArgumentException e) {
            throw new CheckpointException(where(weight) + ": tensor '" + weight + "': " + e.getMessage());
          }
        }
        return precision.is8Bit()
            ? new Quantized(QuantizedDense.quantize8(w, q), q)
            : new Quantized(QuantizedDense.quantize16(w, q), q);
      }
    }
  }

  private void requireScale(String weight, boolean stored, String scaleName) {
    if (!stored) {
      throw new CheckpointException(
          where(weight) + ": tensor '" + weight + "' is stored as integers but has no multiplier '" + scaleName + "'");
    }
  }

  private Dense quantizedLayer(Quantized q, int out, int in, float[] bias, String layer) {
    try {
      return switch (q.values()) {
        case byte[] b -> QuantizedDense.fromInt8(precision, b, out, in, bias, q.quantMult(), activationScale(layer));
        case short[] s -> QuantizedDense.fromInt16(s, out, in, bias, q.quantMult());
        default -> throw new IllegalStateException(q.values().getClass().toString());
      };
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(where(layer) + ": layer '" + layer + "': " + e.getMessage());
    }
  }

  private float activationScale(String layer) {
    String name = QuantFormat.actScaleName(layer);
    if (!options.useActivationScales() || !precision.is8Bit() || !source.contains(name)) {
      return Float.NaN;
    }
    return scale(name);
  }

  private float scale(String name) {
    float[] v = source.floats(name, 1);
    if (!(v[0] > 0f && v[0] < Float.POSITIVE_INFINITY)) {
      throw new CheckpointException(where(name) + ": tensor '" + name + "' = " + v[0] + " is not a positive finite multiplier");
    }
    return v[0];
  }

  private EmbeddingTable table(Quantized q, int rows, int d) {
    return switch (q.values()) {
      case byte[] b -> new EmbeddingTable.Int8(b, q.quantMult(), rows, d);
      case short[] s -> new EmbeddingTable.Int16(s, q.quantMult(), rows, d);
      default -> throw new IllegalStateException(q.values().getClass().toString());
    };
  }

  /** An embedding as stored: float, or integers with their multiplier. */
  private EmbeddingTable table(String name, int rows, int d) {
    DType t = source.info(name).dtype();
    if (isInteger(name)) {
      String scaleName = QuantFormat.scaleName(source, name);
      requireScale(name, source.contains(scaleName), scaleName);
      return t == DType.I8
          ? new EmbeddingTable.Int8(source.bytes(name, rows, d), scale(scaleName), rows, d)
          : new EmbeddingTable.Int16(source.shorts(name, rows, d), scale(scaleName), rows, d);
    }
    return new EmbeddingTable.Floats(source.floats(name, rows, d), rows, d);
  }

  private boolean isInteger(String name) {
    DType t = source.info(name).dtype();
    return t == DType.I8 || t == DType.I16;
  }

  private float[] floats(String name, int rows, int cols) {
    DType t = source.info(name).dtype();
    if (isInteger(name)) {
      throw new CheckpointException(
          where(name) + ": tensor '" + name + "' is stored as " + t + " but this layer runs in float32 here");
    }
    return source.floats(name, rows, cols);
  }

  private String firstPresent(String... names) {
    for (String n : names) {
      if (source.contains(n)) {
        return n;
      }
    }
    List<String> all = new ArrayList<>(List.of(names));
    throw new CheckpointException(
        where("") + ": checkpoint has no tensor " + String.join(" / ", all) + " (embedding or output bias)");
  }
}
