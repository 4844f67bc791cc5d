package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.CheckpointException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint formats {@code jnmt convert} writes, all Hugging Face MarianMT directories whose
 * {@code model.safetensors} keeps the HF tensor names and adds, per quantized matrix {@code W}:
 *
 * <ul>
 *   <li>{@code W_scale}, F32 [1]: the weight quantization multiplier {@code qB} (stored value = round(w·qB));
 *       8-bit: 127/max|W| (intgemm, Marian); 16-bit: see {@code QuantizedDense.weightQuantMult}. In an
 *       annotated file it is the 8-bit multiplier.
 *   <li>{@code L_act_scale}, F32 [1], for the layer whose weight is {@code L} (the output layer is always
 *       {@code lm_head.weight}, even when tied): the static 8-bit activation multiplier {@code qA} = 127/α
 *       (Marian's {@code QuantMultA}), present when the converter calibrated.
 * </ul>
 *
 * <p>In {@link #INT8} / {@link #INT16} files {@code W} itself is I8 / I16 with the HF shape [out, in], that
 * is the transpose of the GEMM's B (N × K): the CPU-independent form intgemm's {@code
 * PrepareBQuantizedTransposed} reads. When the output layer is quantized and tied to the embedding, the
 * embedding matrix is that quantized matrix (Marian's {@code Wemb}). {@code __metadata__} keeps HF's
 * {@code format: pt} and adds the {@code jnmt_*} keys below.
 */
public enum QuantFormat {
  /** A plain checkpoint (no {@code _scale} tensors): quantized at load when asked. */
  FLOAT32("float32"),
  /** Float32 weights plus {@code _scale} (and optionally {@code _act_scale}) tensors. */
  ANNOTATED("annotated"),
  /** 8-bit weights, for int8 and int8shift. */
  INT8("int8"),
  /** 16-bit weights, for int16. */
  INT16("int16");

  /** Metadata key: the format name. */
  public static final String KEY_FORMAT = "jnmt_format";
  /** Metadata key: the format version. */
  public static final String KEY_VERSION = "jnmt_format_version";
  /** Metadata key: the stored weight precision (float32, int8, int16). */
  public static final String KEY_PRECISION = "jnmt_precision";
  /** Metadata key: the tool and version that wrote the file. */
  public static final String KEY_TOOL = "jnmt_tool";
  /** Metadata key: sha256 of the source weights. */
  public static final String KEY_SOURCE_SHA256 = "jnmt_source_sha256";
  /** Metadata key: whether the output layer is quantized ("quantized") or kept float32 ("float32"). */
  public static final String KEY_OUTPUT_LAYER = "jnmt_output_layer";
  /** Metadata key: how activation scales were obtained ("none" or a description of the calibration). */
  public static final String KEY_CALIBRATION = "jnmt_calibration";

  /** The version {@code jnmt convert} writes and this reader understands. */
  public static final int VERSION = 1;

  /** Suffix of weight multipliers. */
  public static final String SCALE_SUFFIX = "_scale";
  /** Suffix of activation multipliers. */
  public static final String ACT_SCALE_SUFFIX = "_act_scale";

  private final String cliName;

  QuantFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name used by {@code jnmt convert --to} and in the metadata. */
  public String cliName() {
    return cliName;
  }

  /** The format of a {@code --to} value. */
  public static Optional<QuantFormat> fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (QuantFormat f : values()) {
      if (f.cliName.equals(n)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * The format of a loaded checkpoint: from its {@code jnmt_format} metadata when present (which must
   * name a known format and carry {@code jnmt_format_version} {@value #VERSION}), otherwise from its
   * tensors (integer matrices mean int8/int16, any {@code _scale} tensor means annotated).
   *
   * @throws CheckpointException naming the file for an unknown format or another format version
   */
  public static QuantFormat of(TensorSource source) {
    Map<String, String> metadata = source.metadata();
    String declared = metadata.get(KEY_FORMAT);
    if (declared != null) {
      String where = source.metadataLocation();
      QuantFormat f =
          fromName(declared)
              .orElseThrow(
                  () -> new CheckpointException(
                      where + ": " + KEY_FORMAT + " '" + declared + "' is not a format this jnmt reads ("
                          + "float32, annotated, int8, int16)"));
      String version = metadata.get(KEY_VERSION);
      if (!Integer.toString(VERSION).equals(version)) {
        throw new CheckpointException(
            where + ": " + KEY_VERSION + " is " + (version == null ? "missing" : "'" + version + "'")
                + " but this jnmt reads version " + VERSION + " only; convert the float32 model again with"
                + " this jnmt (jnmt convert)");
      }
      return f;
    }
    boolean scales = false;
    for (String n : source.names()) {
      if (n.endsWith(SCALE_SUFFIX) && !n.endsWith(ACT_SCALE_SUFFIX)) {
        scales = true;
        String w = n.substring(0, n.length() - SCALE_SUFFIX.length());
        if (source.contains(w)) {
          DType t = source.info(w).dtype();
          if (t == DType.I8) {
            return INT8;
          }
          if (t == DType.I16) {
            return INT16;
          }
        }
      }
    }
    return scales ? ANNOTATED : FLOAT32;
  }

  /** The canonical name of the weight multiplier of the matrix behind {@code weight} (ties resolved). */
  public static String scaleName(TensorSource source, String weight) {
    return MarianNames.canonical(source.info(weight).name()) + SCALE_SUFFIX;
  }

  /** The canonical name of the activation multiplier of the layer whose weight is {@code weight}. */
  public static String actScaleName(String weight) {
    return weight + ACT_SCALE_SUFFIX;
  }
}
