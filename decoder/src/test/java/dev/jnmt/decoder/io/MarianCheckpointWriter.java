package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.config.JsonFiles;
import dev.jnmt.decoder.config.MarianConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a Hugging Face MarianMT directory (config.json + model.safetensors) the way save_pretrained
 * does: keys with the {@code model.} prefix (except lm_head.weight and final_logits_bias), tied
 * embeddings stored once. Also makes random-weight models. Test code, shared with the CLI's tests
 * through the decoder's test-jar.
 */
public final class MarianCheckpointWriter {

  private MarianCheckpointWriter() {}

  /**
   * Writes {@code dir/config.json} and {@code dir/model.safetensors} (each atomically).
   *
   * @param tensors canonical names (no {@code model.} prefix) → row-major float32 values; names that
   *     are aliases of a tied tensor under {@code config} are skipped
   * @param metadata the safetensors {@code __metadata__} (e.g. {"format": "pt"})
   */
  public static void write(Path dir, MarianConfig config, Map<String, float[]> tensors, Map<String, String> metadata) {
    Map<String, long[]> shapes = MarianCheckpoint.expectedShapes(config);
    SafetensorsWriter w = new SafetensorsWriter();
    metadata.forEach(w::metadata);
    for (Map.Entry<String, float[]> e : tensors.entrySet()) {
      String name = e.getKey();
      if (isTiedAlias(config, name)) {
        continue;
      }
      long[] shape = shapes.get(name);
      if (shape == null) {
        if (name.endsWith("embed_positions.weight")) {
          shape = new long[] {config.maxPositionEmbeddings(), config.dModel()};
        } else {
          throw new IllegalArgumentException("tensor '" + name + "' is not part of a MarianMT model");
        }
      }
      String stored = name.equals("lm_head.weight") || name.equals("final_logits_bias") ? name : "model." + name;
      w.addF32(stored, e.getValue(), shape);
    }
    try {
      Files.createDirectories(dir);
      writeJson(dir.resolve("config.json"), config.toJson());
    } catch (IOException ex) {
      throw new CheckpointException(dir + ": cannot write: " + ex.getMessage(), ex);
    }
    w.write(dir.resolve(MarianCheckpoint.SAFETENSORS));
  }

  /** Embedding names that save_pretrained would not store because they share storage with another. */
  private static boolean isTiedAlias(MarianConfig c, String name) {
    if (c.shareEncoderDecoderEmbeddings()
        && (name.equals("encoder.embed_tokens.weight") || name.equals("decoder.embed_tokens.weight"))) {
      return true;
    }
    return c.tieWordEmbeddings() && name.equals("lm_head.weight");
  }

  /** Writes a JSON object atomically (temp file in the same directory, then rename). */
  public static void writeJson(Path target, Json json) throws IOException {
    byte[] bytes = (json.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    Path abs = target.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Random weights with every tensor of {@link MarianCheckpoint#expectedShapes}: linear weights and
   * embeddings ~ N(0, 1/d_in), biases ~ N(0, 0.01), LayerNorm weights ~ 1 + N(0, 0.01); the pad row of
   * the embeddings and lm_head and the pad entry of final_logits_bias are zero, as in converted opus-mt
   * models. Deterministic for a seed.
   */
  public static Map<String, float[]> randomWeights(MarianConfig config, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : MarianCheckpoint.expectedShapes(config).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      if (isTiedAlias(config, name)) {
        continue;
      }
      int n = Math.toIntExact(TensorInfo.elementCount(shape));
      float[] v = new float[n];
      boolean layerNormWeight = (name.contains("layer_norm") || name.contains("layernorm")) && name.endsWith(".weight");
      double sigma =
          shape.length == 2 && !name.equals("final_logits_bias")
              ? 1.0 / Math.sqrt(shape[1])
              : 0.1;
      for (int i = 0; i < n; i++) {
        double g = gaussian(rnd);
        v[i] = (float) (layerNormWeight ? 1.0 + 0.1 * g : sigma * g);
      }
      int pad = config.padTokenId();
      if (name.endsWith("embed_tokens.weight") || name.equals("shared.weight") || name.equals("lm_head.weight")) {
        if (pad < shape[0]) {
          Arrays.fill(v, (int) (pad * shape[1]), (int) ((pad + 1) * shape[1]), 0f);
        }
      }
      if (name.equals("final_logits_bias") && pad < n) {
        v[pad] = 0f;
      }
      out.put(name, v);
    }
    return out;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u = rnd.nextDouble();
    double w = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * w);
  }
}
