package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.CheckpointException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.MarianConfig;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarianCheckpointTest {

  @TempDir Path tmp;

  /** 2 encoder + 1 decoder layers, d=8; vocab 13 (pad 12), or 13 source / 11 target when separate. */
  static MarianConfig tiny(boolean share, boolean tie) {
    return MarianConfig.builder().vocab(13).decoderVocab(share ? 13 : 11).shareEmbeddings(share).tieWordEmbeddings(tie).dModel(8).encoder(2, 2, 16).decoder(1, 4, 12).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(32).tokens(12, 0, share ? 12 : 10).build();
  }

  /**
   * Writes a checkpoint with explicit stored names: {@code stored} maps the name written to the file to
   * the canonical tensor whose random values it holds.
   */
  Path write(String name, MarianConfig c, Map<String, float[]> w, Map<String, String> stored, BiConsumer<String, SafetensorsWriter> extra)
      throws IOException {
    Path dir = tmp.resolve(name);
    MarianCheckpointWriter.write(dir, c, Map.of(), Map.of());
    SafetensorsWriter sw = new SafetensorsWriter().metadata("format", "pt");
    Map<String, long[]> shapes = MarianCheckpoint.expectedShapes(c);
    for (Map.Entry<String, String> e : stored.entrySet()) {
      sw.addF32(e.getKey(), w.get(e.getValue()), shapes.get(e.getValue()));
    }
    if (extra != null) {
      extra.accept(name, sw);
    }
    sw.write(dir.resolve("model.safetensors"));
    return dir;
  }

  /** Stored names for every non-embedding tensor, with or without the model. prefix. */
  static Map<String, String> body(MarianConfig c, String prefix) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String n : MarianCheckpoint.expectedShapes(c).keySet()) {
      if (n.contains("layers.")) {
        m.put(prefix + n, n);
      }
    }
    m.put("final_logits_bias", "final_logits_bias");
    return m;
  }

  static Map<String, float[]> weights(MarianConfig c) {
    Map<String, float[]> w = new LinkedHashMap<>(MarianCheckpointWriter.randomWeights(c, 7));
    // distinct values for every embedding name, to see which one a load picked
    Map<String, long[]> shapes = MarianCheckpoint.expectedShapes(c);
    int k = 1;
    for (String n : new String[] {"shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"}) {
      if (shapes.containsKey(n)) {
        float[] v = new float[Math.toIntExact(shapes.get(n)[0] * shapes.get(n)[1])];
        java.util.Arrays.fill(v, k++);
        w.put(n, v);
      }
    }
    return w;
  }

  static String error(Path dir) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> MarianCheckpoint.open(dir).close());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void randomModelRoundTrips() {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = MarianCheckpointWriter.randomWeights(c, 7);
    MarianCheckpointWriter.write(tmp, c, w, Map.of("format", "pt"));
    try (MarianCheckpoint ck = MarianCheckpoint.open(tmp)) {
      assertEquals(c, ck.config());
      assertArrayEquals(w.get("shared.weight"), ck.floats("decoder.embed_tokens.weight", 13, 8));
      assertArrayEquals(w.get("shared.weight"), ck.floats("lm_head.weight", 13, 8));
      for (String n : MarianCheckpoint.expectedShapes(c).keySet()) {
        if (w.containsKey(n)) {
          assertArrayEquals(w.get(n), ck.floats(n, MarianCheckpoint.expectedShapes(c).get(n)), n);
        }
      }
      assertEquals("model.shared.weight", ck.info("encoder.embed_tokens.weight").name());
      assertFalse(ck.contains("encoder.embed_positions.weight"));
      assertEquals("pt", ck.metadata().get("format"));
      assertEquals(0f, ck.floats("final_logits_bias", 1, 13)[12]);
      assertEquals(1 + 16 * 2 + 26 + 1, ck.storedTensorCount());
      GenerationConfig g = ck.generationConfig();
      assertEquals(1, g.numBeams());
      assertEquals(12, g.decoderStartTokenId());
    }
  }

  @Test
  void embeddingIsTheFirstPresentOfSharedEncoderDecoderLmHead() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    String[][] cases = {
      {"model.shared.weight", "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"},
      {"model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight", "lm_head.weight"},
      {"model.decoder.embed_tokens.weight", "lm_head.weight"},
      {"lm_head.weight"},
    };
    for (String[] names : cases) {
      Map<String, String> stored = body(c, "model.");
      for (String n : names) {
        String canonical = n.startsWith("model.") ? n.substring(6) : n;
        stored.put(n, canonical);
      }
      Path dir = write("case" + names.length, c, w, stored, null);
      String first = names[0].startsWith("model.") ? names[0].substring(6) : names[0];
      try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
        for (String alias : new String[] {"shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"}) {
          assertArrayEquals(w.get(first), ck.floats(alias, 13, 8), alias + " with " + String.join(",", names));
          assertEquals(names[0], ck.info(alias).name());
        }
      }
    }
    Path none = write("none", c, w, body(c, "model."), null);
    assertEquals(none.resolve("model.safetensors") + ": missing tensor: no embedding matrix under any of model.shared.weight, model.encoder.embed_tokens.weight, model.decoder.embed_tokens.weight, lm_head.weight", error(none));
  }

  @Test
  void untiedOutputLayerIsReadFromItsOwnTensor() throws IOException {
    MarianConfig c = tiny(true, false);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");
    stored.put("lm_head.weight", "lm_head.weight");
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("untied", c, w, stored, null))) {
      assertArrayEquals(w.get("lm_head.weight"), ck.floats("lm_head.weight", 13, 8));
      assertArrayEquals(w.get("shared.weight"), ck.floats("decoder.embed_tokens.weight", 13, 8));
    }
    stored.remove("lm_head.weight");
    Path dir = write("nolm", c, w, stored, null);
    assertEquals(dir.resolve("model.safetensors") + ": missing tensor 'lm_head.weight' (tie_word_embeddings is false, so the output layer must be stored)", error(dir));
  }

  @Test
  void tiedLmHeadCopyIsIgnoredInFavourOfTheEmbedding() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");
    stored.put("lm_head.weight", "lm_head.weight");
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("tied", c, w, stored, null))) {
      assertArrayEquals(w.get("shared.weight"), ck.floats("lm_head.weight", 13, 8));
    }
  }

  @Test
  void separateVocabularies() throws IOException {
    MarianConfig c = tiny(false, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.encoder.embed_tokens.weight", "encoder.embed_tokens.weight");
    stored.put("model.decoder.embed_tokens.weight", "decoder.embed_tokens.weight");
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("sep", c, w, stored, null))) {
      assertEquals(13, ck.config().sourceVocabSize());
      assertEquals(11, ck.config().targetVocabSize());
      assertArrayEquals(w.get("encoder.embed_tokens.weight"), ck.floats("encoder.embed_tokens.weight", 13, 8));
      assertArrayEquals(w.get("decoder.embed_tokens.weight"), ck.floats("decoder.embed_tokens.weight", 11, 8));
      assertArrayEquals(w.get("decoder.embed_tokens.weight"), ck.floats("lm_head.weight", 11, 8));
      assertFalse(ck.contains("shared.weight"));
      assertEquals(11, ck.floats("final_logits_bias", 1, 11).length);
    }
    // only lm_head stored for the decoder side: tied, so the decoder embedding reads it
    stored.remove("model.decoder.embed_tokens.weight");
    stored.put("lm_head.weight", "lm_head.weight");
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("sep2", c, w, stored, null))) {
      assertArrayEquals(w.get("lm_head.weight"), ck.floats("decoder.embed_tokens.weight", 11, 8));
    }
    stored.remove("lm_head.weight");
    Path dir = write("sep3", c, w, stored, null);
    assertTrue(error(dir).endsWith("missing tensor 'model.decoder.embed_tokens.weight' (separate vocabularies: share_encoder_decoder_embeddings is false)"), error(dir));
    // the decoder side must have the target vocabulary size
    stored.put("model.decoder.embed_tokens.weight", "encoder.embed_tokens.weight");
    dir = write("sep4", c, w, stored, null);
    assertEquals(dir.resolve("model.safetensors") + ": tensor 'model.decoder.embed_tokens.weight' has shape [13, 8] but [11, 8] was expected", error(dir));
  }

  @Test
  void prefixIsOptional() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "");
    stored.put("shared.weight", "shared.weight");
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("bare", c, w, stored, null))) {
      assertArrayEquals(w.get("encoder.layers.1.fc2.weight"), ck.floats("encoder.layers.1.fc2.weight", 8, 16));
      assertEquals("encoder.layers.1.fc2.weight", ck.info("encoder.layers.1.fc2.weight").name());
      assertArrayEquals(w.get("shared.weight"), ck.floats("lm_head.weight", 13, 8));
    }
    stored.put("model.encoder.layers.1.fc2.weight", "encoder.layers.1.fc2.weight");
    Path dir = write("both", c, w, stored, null);
    assertTrue(error(dir).contains("is stored twice"), error(dir));
  }

  @Test
  void storedPositionTables() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");
    float[] pos = new float[32 * 8];
    pos[9] = 3f;
    try (MarianCheckpoint ck = MarianCheckpoint.open(write("pos", c, w, stored, (n, sw) -> sw.addF32("model.decoder.embed_positions.weight", pos, 32, 8)))) {
      assertTrue(ck.contains("decoder.embed_positions.weight"));
      assertFalse(ck.contains("encoder.embed_positions.weight"));
      assertArrayEquals(pos, ck.floats("decoder.embed_positions.weight", 32, 8));
    }
    Path dir = write("badpos", c, w, stored, (n, sw) -> sw.addF32("model.encoder.embed_positions.weight", new float[16 * 8], 16, 8));
    assertEquals(dir.resolve("model.safetensors") + ": tensor 'model.encoder.embed_positions.weight' has shape [16, 8] but [32, 8] was expected", error(dir));
  }

  @Test
  void brokenCheckpointsGiveOneLineErrors() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");

    Map<String, String> missing = new LinkedHashMap<>(stored);
    missing.remove("model.decoder.layers.0.encoder_attn.v_proj.bias");
    Path dir = write("missing", c, w, missing, null);
    assertEquals(dir.resolve("model.safetensors") + ": missing tensor 'model.decoder.layers.0.encoder_attn.v_proj.bias' (looked for it with and without the 'model.' prefix)", error(dir));

    Map<String, String> noBias = new LinkedHashMap<>(stored);
    noBias.remove("final_logits_bias");
    dir = write("nobias", c, w, noBias, null);
    assertTrue(error(dir).endsWith("missing tensor 'final_logits_bias' (looked for it with and without the 'model.' prefix)"), error(dir));

    Map<String, String> swapped = new LinkedHashMap<>(stored);
    swapped.put("model.encoder.layers.0.fc1.weight", "encoder.layers.0.fc2.weight");
    dir = write("shape", c, w, swapped, null);
    assertEquals(dir.resolve("model.safetensors") + ": tensor 'model.encoder.layers.0.fc1.weight' has shape [8, 16] but [16, 8] was expected", error(dir));

    Map<String, String> noQ = new LinkedHashMap<>(stored);
    noQ.remove("model.encoder.layers.1.self_attn.q_proj.weight");
    dir = write("dtype", c, w, noQ, (n, sw) -> sw.addI8("model.encoder.layers.1.self_attn.q_proj.weight", new byte[64], 8, 8));
    assertEquals(dir.resolve("model.safetensors") + ": tensor 'model.encoder.layers.1.self_attn.q_proj.weight' has dtype I8 but F32, F16, BF16 or F64 was expected", error(dir));

    dir = write("variant", c, w, stored, (n, sw) -> sw.addF32("model.encoder.layer_norm.weight", new float[8], 8));
    assertEquals(dir.resolve("model.safetensors") + ": tensor 'model.encoder.layer_norm.weight' belongs to an embedding or final"
        + " LayerNorm, but config.json does not set add_final_layer_norm (a checkpoint of another architecture)", error(dir));
    // asked for by the config but not stored
    dir = write("no-final-norm", c.toBuilder().norms(new MarianConfig.Norms(true, false, true)).build(), w, stored, null);
    assertTrue(error(dir).contains(": missing tensor 'model.encoder.layer_norm.weight'"), error(dir));

    // truncated weights file
    dir = write("truncated", c, w, stored, null);
    Path st = dir.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(st);
    Files.write(st, java.util.Arrays.copyOf(all, all.length - 100));
    assertTrue(error(dir).startsWith(st + ": tensor '") && error(dir).endsWith("(truncated file?)"), error(dir));

    // bad header JSON
    all[12] = '#';
    Files.write(st, all);
    assertTrue(error(dir).startsWith(st + ": bad header JSON"), error(dir));
  }

  @Test
  void directoryProblems() throws IOException {
    assertTrue(error(tmp.resolve("nope")).endsWith("not a model directory (no such directory)"));
    Path d = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(d.resolve("config.json") + ": no such file (a Hugging Face MarianMT directory needs config.json)", error(d));
    MarianCheckpointWriter.write(d, tiny(true, true), MarianCheckpointWriter.randomWeights(tiny(true, true), 1), Map.of());
    Files.move(d.resolve("model.safetensors"), d.resolve("pytorch_model.bin"));
    assertTrue(error(d).startsWith(d.resolve("pytorch_model.bin") + ": this weights format is not supported"), error(d));
    Files.delete(d.resolve("pytorch_model.bin"));
    assertEquals(d.resolve("model.safetensors") + ": no such file (and no model.safetensors.index.json)", error(d));
    Files.writeString(d.resolve("config.json"), "{\"model_type\": \"marian\", \"static_position_embeddings\": false}");
    assertEquals(d.resolve("config.json") + ": static_position_embeddings false (learned position embeddings) is not supported:"
        + " jnmt implements the sinusoidal positions of MarianMT", error(d));
  }

  @Test
  void f16AndBf16CheckpointsAreConvertedToF32() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");
    Path dir = tmp.resolve("half");
    MarianCheckpointWriter.write(dir, c, Map.of(), Map.of());
    SafetensorsWriter sw = new SafetensorsWriter();
    Map<String, long[]> shapes = MarianCheckpoint.expectedShapes(c);
    Map<String, float[]> rounded = new LinkedHashMap<>();
    int k = 0;
    for (Map.Entry<String, String> e : stored.entrySet()) {
      float[] v = w.get(e.getValue());
      boolean bf = (k++ % 2) == 1;
      ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      float[] r = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        short bits = bf ? (short) (Float.floatToRawIntBits(v[i]) >>> 16) : Float.floatToFloat16(v[i]);
        b.putShort(bits);
        r[i] = bf ? Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) & 0xffff0000) : Float.float16ToFloat(bits);
      }
      rounded.put(e.getValue(), r);
      sw.addRaw(e.getKey(), bf ? DType.BF16 : DType.F16, MemorySegment.ofArray(b.array()), shapes.get(e.getValue()));
    }
    sw.write(dir.resolve("model.safetensors"));
    try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
      for (Map.Entry<String, float[]> e : rounded.entrySet()) {
        assertArrayEquals(e.getValue(), ck.floats(e.getKey(), shapes.get(e.getKey())), e.getKey());
      }
      assertTrue(ck.dtype("shared.weight") == DType.F16 || ck.dtype("shared.weight") == DType.BF16);
    }
  }

  @Test
  void shardedCheckpoint() throws IOException {
    MarianConfig c = tiny(true, true);
    Map<String, float[]> w = weights(c);
    Path dir = tmp.resolve("sharded");
    MarianCheckpointWriter.write(dir, c, Map.of(), Map.of());
    Files.delete(dir.resolve("model.safetensors"));
    Map<String, String> stored = body(c, "model.");
    stored.put("model.shared.weight", "shared.weight");
    Map<String, long[]> shapes = MarianCheckpoint.expectedShapes(c);
    SafetensorsWriter a = new SafetensorsWriter();
    SafetensorsWriter b = new SafetensorsWriter();
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    int k = 0;
    for (Map.Entry<String, String> e : stored.entrySet()) {
      boolean first = k++ % 2 == 0;
      (first ? a : b).addF32(e.getKey(), w.get(e.getValue()), shapes.get(e.getValue()));
      index.append(k > 1 ? "," : "").append('"').append(e.getKey()).append("\": \"").append(first ? "a.safetensors" : "b.safetensors").append('"');
    }
    a.write(dir.resolve("a.safetensors"));
    b.write(dir.resolve("b.safetensors"));
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.append("}}").toString());
    try (MarianCheckpoint ck = MarianCheckpoint.open(dir)) {
      assertEquals(2, ck.files().size());
      assertArrayEquals(w.get("decoder.layers.0.fc1.bias"), ck.floats("decoder.layers.0.fc1.bias", 12));
      assertArrayEquals(w.get("shared.weight"), ck.floats("lm_head.weight", 13, 8));
    }
    Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"x\": \"../a.safetensors\"}}");
    assertTrue(error(dir).contains("does not name a shard file in this directory"), error(dir));
  }
}
