package dev.jnmt.decoder.convert;

import dev.jnmt.decoder.model.LayerLoader;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.MarianNames;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.model.ObservedDense;
import dev.jnmt.intgemm.Int8;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Static activation multipliers from sample text, as Marian's {@code --dump-quantmult} run plus
 * {@code scripts/alphas/extract_stats.py}: the float32 model translates the text, every call of every dense
 * layer records {@code max|A|} over the whole call (all rows of the mini-batch or beam step), and each layer
 * gets {@code alpha = mean + 1.1·std} (population std) of its recorded maxima and {@code qA = 127/alpha}.
 */
public final class Calibrator {

  private Calibrator() {}

  /** The statistics of one layer. */
  public record LayerStats(int calls, double mean, double std) {
    /** {@code mean + 1.1·std}: the activation value mapped to 127. */
    public double alpha() {
      return mean + 1.1 * std;
    }

    /** {@code 127/alpha} as a float, or NaN when alpha is not positive. */
    public float quantMult() {
      double a = alpha();
      return a > 0 && Double.isFinite(a) ? (float) (127.0 / a) : Float.NaN;
    }
  }

  /** Collects the per-call maxima (thread-safe). */
  static final class Recorder implements ObservedDense.Observer {
    private final Map<String, List<Float>> maxima = new TreeMap<>();

    @Override
    public void observe(String layer, float[] x, int rows, int in) {
      if (rows == 0) {
        return;
      }
      float m = Int8.maxAbsolute(x, 0, rows * in);
      synchronized (this) {
        maxima.computeIfAbsent(layer, k -> new ArrayList<>()).add(m);
      }
    }

    synchronized Map<String, LayerStats> stats() {
      Map<String, LayerStats> out = new TreeMap<>();
      maxima.forEach((layer, values) -> out.put(layer, Calibrator.stats(values)));
      return out;
    }
  }

  static LayerStats stats(List<Float> values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    double mean = sum / values.size();
    double sq = 0;
    for (float v : values) {
      sq += (v - mean) * (v - mean);
    }
    return new LayerStats(values.size(), mean, Math.sqrt(sq / values.size()));
  }

  /**
   * Translates {@code lines} with the float32 model of {@code checkpoint} and returns the statistics of
   * every dense layer, keyed by layer weight name ({@code encoder.layers.0.fc1.weight}, ...,
   * {@link MarianNames#OUTPUT_LAYER} for the output layer).
   *
   * @param checkpoint an open float32 or annotated checkpoint (its directory also holds the tokenizer)
   * @param options search settings of the calibration run (Marian uses the normal decoding settings)
   * @param threads worker threads
   */
  public static Map<String, LayerStats> run(
      MarianCheckpoint checkpoint, List<String> lines, TranslationOptions options, int threads) {
    Recorder recorder = new Recorder();
    LayerLoader loader =
        LayerLoader.of(checkpoint, GemmPrecision.FLOAT32, new LayerLoader.Options(false, false, recorder));
    MarianModel model = MarianModel.load(checkpoint.config(), loader);
    try (Translator translator =
        new Translator(
            model, checkpoint.openTokenizer(), checkpoint.generationConfig(),
            new Translator.Settings(threads, GemmPrecision.FLOAT32))) {
      translator.translate(lines, options);
    }
    return recorder.stats();
  }
}
