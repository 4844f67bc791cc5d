// Over 400 lines: Hugging Face's checkpoint rules (shards, the model. prefix, tied embeddings, validation of
// every tensor) in one class, so that each error message is written next to the rule it enforces.
package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.JsonFiles;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.text.MarianTokenizer;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face MarianMT model directory: {@code config.json}, optional {@code generation_config.json},
 * and {@code model.safetensors} (or a sharded {@code model.safetensors.index.json}), memory-mapped.
 *
 * <p>Names are canonical: the optional leading {@code model.} of the stored keys is stripped, so the
 * encoder's first FFN weight is {@code encoder.layers.0.fc1.weight} whether the file says
 * {@code model.encoder.layers.0.fc1.weight} (MarianMTModel) or not (MarianModel).
 *
 * <p>Tied and duplicated embeddings (transformers {@code tie_word_embeddings}, {@code MarianMTModel}) are resolved here:
 *
 * <ul>
 *   <li>Shared vocabulary: {@code shared.weight}, {@code encoder.embed_tokens.weight} and
 *       {@code decoder.embed_tokens.weight} all read the first stored of shared, encoder.embed_tokens,
 *       decoder.embed_tokens (and lm_head when tie_word_embeddings); converters keep only one of them.
 *   <li>Separate vocabularies (share_encoder_decoder_embeddings=false): the encoder and decoder
 *       embeddings are distinct; {@code shared.weight} does not exist.
 *   <li>tie_word_embeddings (default true): {@code lm_head.weight} reads the decoder input embedding, as HF
 *       ties them (a stored lm_head copy is ignored); otherwise lm_head.weight must be stored.
 * </ul>
 *
 * <p>{@link #open} validates every tensor the forward pass needs (presence, shape, a float dtype) so a
 * broken checkpoint fails at load with a one-line message naming the file and tensor. Instances are
 * immutable and thread-safe; {@link #close} unmaps the files.
 */
public final class MarianCheckpoint implements TensorSource, ModelSource {

  /** The single-file weights name. */
  public static final String SAFETENSORS = "model.safetensors";

  /** The index of a sharded checkpoint. */
  public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";

  private static final String PREFIX = MarianNames.PREFIX;

  /** Where a canonical name is stored. */
  private record Ref(SafetensorsFile file, String stored) {}

  private final Path directory;
  private final MarianConfig config;
  private final GenerationConfig generationConfig;
  private final List<SafetensorsFile> files;
  private final Map<String, Ref> resolved;

  private MarianCheckpoint(
      Path directory,
      MarianConfig config,
      GenerationConfig generationConfig,
      List<SafetensorsFile> files,
      Map<String, Ref> resolved) {
    this.directory = directory;
    this.config = config;
    this.generationConfig = generationConfig;
    this.files = files;
    this.resolved = resolved;
  }

  /**
   * Opens and validates a model directory.
   *
   * @throws CheckpointException with a one-line message naming the file (and tensor or key)
   */
  public static MarianCheckpoint open(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException(directory + ": not a model directory" + (Files.exists(directory) ? "" : " (no such directory)"));
    }
    Path configPath = directory.resolve("config.json");
    if (!Files.isRegularFile(configPath)) {
      throw new CheckpointException(configPath + ": no such file (a Hugging Face MarianMT directory needs config.json)");
    }
    MarianConfig config = MarianConfig.read(configPath);
    GenerationConfig generation = GenerationConfig.read(directory, config);
    List<SafetensorsFile> files = openWeights(directory);
    try {
      Map<String, Ref> stored = canonicalNames(files);
      Map<String, Ref> resolved = resolveTies(directory, config, stored);
      MarianCheckpoint ckpt = new MarianCheckpoint(directory, config, generation, List.copyOf(files), resolved);
      ckpt.validate();
      return ckpt;
    } catch (RuntimeException e) {
      files.forEach(SafetensorsFile::close);
      throw e;
    }
  }

  private static List<SafetensorsFile> openWeights(Path dir) {
    Path single = dir.resolve(SAFETENSORS);
    Path index = dir.resolve(SAFETENSORS_INDEX);
    if (Files.isRegularFile(single)) {
      return new ArrayList<>(List.of(SafetensorsFile.open(single)));
    }
    if (Files.isRegularFile(index)) {
      return openShards(index);
    }
    for (String other : List.of("pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "model.npz")) {
      if (Files.exists(dir.resolve(other))) {
        throw new CheckpointException(dir.resolve(other) + ": this weights format is not supported; jnmt reads model.safetensors (save the model with save_pretrained(dir, safe_serialization=True))");
      }
    }
    throw new CheckpointException(single + ": no such file (and no " + SAFETENSORS_INDEX + ")");
  }

  private static List<SafetensorsFile> openShards(Path index) {
    Json root = JsonFiles.readObject(index);
    Json map = root.get("weight_map");
    if (map == null || !map.isObject() || map.isEmpty()) {
      throw new CheckpointException(index + ": no weight_map object");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<String, Json> e : map.properties()) {
      String file = e.getValue().isTextual() ? e.getValue().textValue() : "";
      if (file.isEmpty() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
        throw new CheckpointException(index + ": weight_map entry '" + e.getKey() + "' does not name a shard file in this directory: " + e.getValue());
      }
      weightMap.put(e.getKey(), file);
    }
    List<SafetensorsFile> files = new ArrayList<>();
    Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
    try {
      for (String name : new LinkedHashSet<>(weightMap.values())) {
        SafetensorsFile f = SafetensorsFile.open(index.resolveSibling(name));
        files.add(f);
        byName.put(name, f);
      }
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        SafetensorsFile f = byName.get(e.getValue());
        if (!f.contains(e.getKey())) {
          throw new CheckpointException(f.path() + ": missing tensor '" + e.getKey() + "' (listed in " + index.getFileName() + ")");
        }
      }
      return files;
    } catch (RuntimeException e) {
      files.forEach(SafetensorsFile::close);
      throw e;
    }
  }

  /** Stored key → canonical name; a name stored both with and without the prefix is an error. */
  private static Map<String, Ref> canonicalNames(List<SafetensorsFile> files) {
    Map<String, Ref> out = new LinkedHashMap<>();
    for (SafetensorsFile f : files) {
      for (String key : f.tensors().keySet()) {
        String canonical = MarianNames.canonical(key);
        Ref previous = out.put(canonical, new Ref(f, key));
        if (previous != null) {
          throw new CheckpointException(f.path() + ": tensor '" + key + "' is stored twice (also as '" + previous.stored() + "' in " + previous.file().path().getFileName() + ")");
        }
      }
    }
    return out;
  }

  private static final String SHARED = MarianNames.SHARED;
  private static final String ENC_EMB = MarianNames.ENCODER_EMBEDDING;
  private static final String DEC_EMB = MarianNames.DECODER_EMBEDDING;
  private static final String LM_HEAD = MarianNames.OUTPUT_LAYER;

  private static Map<String, Ref> resolveTies(Path dir, MarianConfig config, Map<String, Ref> stored) {
    Map<String, Ref> out = new LinkedHashMap<>(stored);
    Path where = dir.resolve(SAFETENSORS);
    if (config.shareEncoderDecoderEmbeddings()) {
      List<String> order = MarianNames.sharedEmbeddingCandidates(config.tieWordEmbeddings());
      Ref emb = null;
      for (String n : order) {
        if (stored.containsKey(n)) {
          emb = stored.get(n);
          break;
        }
      }
      if (emb == null) {
        throw new CheckpointException(where + ": missing tensor: no embedding matrix under any of " + prefixed(order));
      }
      out.put(SHARED, emb);
      out.put(ENC_EMB, emb);
      out.put(DEC_EMB, emb);
      if (config.tieWordEmbeddings()) {
        out.put(LM_HEAD, emb);
      }
    } else {
      out.remove(SHARED);
      if (!stored.containsKey(ENC_EMB)) {
        throw new CheckpointException(where + ": missing tensor 'model." + ENC_EMB + "' (separate vocabularies: share_encoder_decoder_embeddings is false)");
      }
      Ref dec = stored.get(DEC_EMB);
      if (dec == null && config.tieWordEmbeddings()) {
        dec = stored.get(LM_HEAD);
      }
      if (dec == null) {
        throw new CheckpointException(where + ": missing tensor 'model." + DEC_EMB + "' (separate vocabularies: share_encoder_decoder_embeddings is false)");
      }
      out.put(DEC_EMB, dec);
      if (config.tieWordEmbeddings()) {
        out.put(LM_HEAD, dec);
      }
    }
    if (!out.containsKey(LM_HEAD)) {
      throw new CheckpointException(where + ": missing tensor '" + LM_HEAD + "' (tie_word_embeddings is false, so the output layer must be stored)");
    }
    return Collections.unmodifiableMap(out);
  }

  private static String prefixed(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(n.equals(LM_HEAD) ? n : PREFIX + n);
    }
    return String.join(", ", out);
  }

  /** See {@link MarianNames#expectedShapes}. */
  public static Map<String, long[]> expectedShapes(MarianConfig c) {
    return MarianNames.expectedShapes(c);
  }

  private void validate() {
    for (Map.Entry<String, String> u : MarianNames.unexpectedNorms(config).entrySet()) {
      if (resolved.containsKey(u.getKey())) {
        Ref r = resolved.get(u.getKey());
        throw new CheckpointException(r.file().path() + ": tensor '" + r.stored() + "' belongs to an embedding or final"
            + " LayerNorm, but config.json does not set " + u.getValue() + " (a checkpoint of another architecture)");
      }
    }
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      checkFloat(e.getKey(), e.getValue());
    }
    for (String side : List.of("encoder", "decoder")) {
      String name = side + ".embed_positions.weight";
      if (resolved.containsKey(name)) {
        checkFloat(name, new long[] {config.maxPositionEmbeddings(), config.dModel()});
      }
    }
  }

  private void checkFloat(String name, long[] shape) {
    Ref r = ref(name);
    TensorInfo t = r.file().checkShape(r.stored(), shape);
    if ((t.dtype() == DType.I8 || t.dtype() == DType.I16) && shape.length == 2 && hasScale(r)) {
      return; // a quantized matrix (jnmt convert --to int8|int16), read with bytes()/shorts()
    }
    if (!t.dtype().isConvertibleToFloat()) {
      throw new CheckpointException(r.file().path() + ": tensor '" + r.stored() + "' has dtype " + t.dtype() + " but F32, F16, BF16 or F64 was expected");
    }
  }

  /** Whether the stored matrix has its quantization multiplier {@code <stored name>_scale}. */
  private boolean hasScale(Ref r) {
    String stored = r.stored();
    return resolved.containsKey(MarianNames.canonical(stored) + QuantFormat.SCALE_SUFFIX);
  }

  private Ref ref(String name) {
    Ref r = resolved.get(name);
    if (r == null) {
      Path where = files.size() == 1 ? files.get(0).path() : directory.resolve(SAFETENSORS_INDEX);
      throw new CheckpointException(where + ": missing tensor '" + MarianNames.stored(name) + "' (looked for it with and without the 'model.' prefix)");
    }
    return r;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public MarianConfig config() {
    return config;
  }

  @Override
  public GenerationConfig generationConfig() {
    return generationConfig;
  }

  /** This checkpoint: it is its own tensor source. */
  @Override
  public TensorSource tensors() {
    return this;
  }

  /** The directory's SentencePiece models and vocab.json, checked against config.json. */
  @Override
  public MarianTokenizer openTokenizer() {
    MarianTokenizer tokenizer = MarianTokenizer.open(directory);
    try {
      tokenizer.checkCompatible(config);
      return tokenizer;
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** The mapped weight files (one unless sharded). */
  public List<SafetensorsFile> files() {
    return files;
  }

  @Override
  public String metadataLocation() {
    return files.get(0).path().toString();
  }

  /** The first file's {@code __metadata__}. */
  @Override
  public Map<String, String> metadata() {
    return files.get(0).metadata();
  }

  /** Canonical names available (aliases of tied embeddings included). */
  @Override
  public Set<String> names() {
    return resolved.keySet();
  }

  @Override
  public boolean contains(String name) {
    return resolved.containsKey(name);
  }

  @Override
  public float[] floats(String name, long... expectedShape) {
    Ref r = ref(name);
    float[] w = r.file().floats(r.stored(), expectedShape);
    // model weights must be finite: the int8/int16 paths refuse them at quantization, float32 here
    int bad = dev.jnmt.decoder.ops.FloatOps.firstNonFinite(w, 0, w.length);
    if (bad >= 0) {
      throw new CheckpointException(r.file().path() + ": tensor '" + r.stored() + "' holds " + w[bad] + " at element "
          + bad + " (NaN or infinite weights make every translation meaningless)");
    }
    return w;
  }

  @Override
  public long[] shape(String name) {
    return info(name).shape();
  }

  /** The stored header entry behind a canonical name (its {@code name()} is the stored key). */
  @Override
  public TensorInfo info(String name) {
    Ref r = ref(name);
    return r.file().info(r.stored());
  }

  @Override
  public byte[] bytes(String name, long... expectedShape) {
    Ref r = ref(name);
    return r.file().bytes(r.stored(), expectedShape);
  }

  @Override
  public short[] shorts(String name, long... expectedShape) {
    Ref r = ref(name);
    return r.file().shorts(r.stored(), expectedShape);
  }

  public DType dtype(String name) {
    return info(name).dtype();
  }

  /** The raw little-endian bytes (for quantized tensors); valid until {@link #close}. */
  public MemorySegment data(String name) {
    Ref r = ref(name);
    return r.file().data(r.stored());
  }

  @Override
  public String location(String name) {
    return contains(name) ? fileOf(name).toString() : directory.toString();
  }

  /** The file that stores a canonical name. */
  public Path fileOf(String name) {
    return ref(name).file().path();
  }

  /** Total bytes of tensor data over all files. */
  public long dataBytes() {
    long n = 0;
    for (SafetensorsFile f : files) {
      n += f.dataBytes();
    }
    return n;
  }

  /** Number of stored tensors over all files. */
  public int storedTensorCount() {
    int n = 0;
    for (SafetensorsFile f : files) {
      n += f.tensors().size();
    }
    return n;
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }

  @Override
  public String toString() {
    return "MarianCheckpoint[" + directory + ", " + storedTensorCount() + " tensors]";
  }
}
