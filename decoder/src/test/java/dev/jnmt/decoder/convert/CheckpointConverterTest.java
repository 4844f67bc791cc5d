package dev.jnmt.decoder.convert;

import dev.jnmt.decoder.model.LayerLoader;
import dev.jnmt.decoder.io.QuantFormat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.io.DType;
import dev.jnmt.decoder.io.MarianCheckpoint;
import dev.jnmt.decoder.io.SafetensorsFile;
import dev.jnmt.decoder.io.SafetensorsWriter;
import dev.jnmt.decoder.io.TensorInfo;
import dev.jnmt.decoder.io.TensorSource;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.model.PrecisionMismatchException;
import dev.jnmt.decoder.model.QuantizedDense;
import dev.jnmt.decoder.search.Hypothesis;
import dev.jnmt.intgemm.Int8;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointConverter} on the committed tiny random model (2+2 layers, d 24: every matrix is
 * padded for intgemm): what each format stores, the metadata, that converted files load and translate
 * (an int8 file exactly as its annotated twin and as the float32 model quantized at load), calibration,
 * and the refusals that protect the input.
 */
class CheckpointConverterTest {

  static final Path TINY = Path.of("src/test/resources/tiny-random");

  @TempDir Path tmp;
  Path src;
  List<String> log;

  @BeforeEach
  void copyModel() throws IOException {
    src = tmp.resolve("float");
    Files.createDirectories(src);
    try (Stream<Path> s = Files.list(TINY)) {
      for (Path p : s.toList()) {
        Files.copy(p, src.resolve(p.getFileName()));
      }
    }
    log = new ArrayList<>();
  }

  Path convert(String to, QuantFormat format, Path calibration, boolean keepOutputFloat) throws IOException {
    Path out = tmp.resolve(to);
    CheckpointConverter.convert(
        new CheckpointConverter.Request(src, out, format, calibration, null, keepOutputFloat, false, "jnmt convert test", 2, log::add));
    return out;
  }

  static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
      }
    }
    return out;
  }

  static void assertSameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
  }

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  /** A pre-norm checkpoint (tiny-prenorm/all) keeps its flags and stack LayerNorms and runs at every stored precision. */
  @Test
  void preNormCheckpointsKeepTheirLayerNorms() throws IOException {
    Path pre = tmp.resolve("prenorm");
    Files.createDirectories(pre);
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(Path.of("src/test/resources/tiny-prenorm/all").resolve(f), pre.resolve(f));
    }
    for (QuantFormat format : List.of(QuantFormat.INT8, QuantFormat.INT16)) {
      Path out = tmp.resolve("prenorm-" + format.cliName());
      CheckpointConverter.convert(new CheckpointConverter.Request(pre, out, format, null, null, false, false, "t", 1, s -> {}));
      try (SafetensorsFile in = SafetensorsFile.open(pre.resolve("model.safetensors"));
          SafetensorsFile q = SafetensorsFile.open(out.resolve("model.safetensors"));
          MarianCheckpoint c = MarianCheckpoint.open(out)) {
        for (String n : List.of("model.encoder.layernorm_embedding.weight", "model.decoder.layer_norm.bias")) {
          assertArrayEquals(in.floats(n, in.info(n).shape()), q.floats(n, q.info(n).shape()), n);
        }
        assertEquals(new dev.jnmt.decoder.config.MarianConfig.Norms(true, true, true), c.config().norms());
        MarianModel m = MarianModel.load(c.config(), c, GemmPrecision.defaultFor(format));
        assertTrue(m.encoderNorms().last() != null && m.decoderNorms().embedding() != null);
        assertTrue(m.decoderLayers().get(0).normalizeBefore());
        float[] logits = new float[c.config().targetVocabSize()];
        try (var session = m.startDecoding(m.encode(new int[][] {{5, 17, 33, 8, 41, 2, 0}}))) {
          session.step(new int[] {c.config().decoderStartTokenId()}, logits);
        }
        for (float v : logits) {
          assertTrue(Float.isFinite(v), format + " logits");
        }
      }
    }
  }

  @Test
  void int8StoresTransposedQuantizedWeightsWithScalesAndMetadata() throws Exception {
    Map<String, byte[]> before = snapshot(src);
    Path out = convert("int8", QuantFormat.INT8, null, false);
    assertSameFiles(before, snapshot(src));
    try (SafetensorsFile in = SafetensorsFile.open(src.resolve("model.safetensors"));
        SafetensorsFile q = SafetensorsFile.open(out.resolve("model.safetensors"))) {
      int quantized = 0;
      for (TensorInfo t : in.tensors().values()) {
        String n = t.name();
        boolean matrix = n.matches(".*(q_proj|k_proj|v_proj|out_proj|fc1|fc2)\\.weight") || n.equals("model.shared.weight");
        TensorInfo o = q.info(n);
        assertArrayEquals(t.shape(), o.shape(), n);
        if (matrix) {
          quantized++;
          assertEquals(DType.I8, o.dtype(), n);
          float[] w = in.floats(n, t.shape());
          float scale = q.floats(n + "_scale", 1)[0];
          assertEquals(127f / Int8.maxAbsolute(w), scale, n);
          assertArrayEquals(QuantizedDense.quantize8(w, scale), q.bytes(n, t.shape()), n);
          assertFalse(q.contains(n + "_act_scale"));
        } else {
          assertEquals(t.dtype(), o.dtype(), n);
          assertArrayEquals(in.data(n).toArray(ValueLayout.JAVA_BYTE), q.data(n).toArray(ValueLayout.JAVA_BYTE), n);
        }
      }
      assertEquals(2 * 6 + 2 * 10 + 1, quantized);
      assertEquals(in.tensors().size() + quantized, q.tensors().size());
      Map<String, String> m = q.metadata();
      assertEquals("pt", m.get("format"));
      assertEquals("int8", m.get(QuantFormat.KEY_FORMAT));
      assertEquals("1", m.get(QuantFormat.KEY_VERSION));
      assertEquals("int8", m.get(QuantFormat.KEY_PRECISION));
      assertEquals("jnmt convert test", m.get(QuantFormat.KEY_TOOL));
      assertEquals(sha256(src.resolve("model.safetensors")), m.get(QuantFormat.KEY_SOURCE_SHA256));
      assertEquals("quantized", m.get(QuantFormat.KEY_OUTPUT_LAYER));
      assertEquals("none", m.get(QuantFormat.KEY_CALIBRATION));
    }
    for (String f : List.of("config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json")) {
      assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
    }
    try (MarianCheckpoint ck = MarianCheckpoint.open(out)) {
      assertEquals(QuantFormat.INT8, QuantFormat.of(ck));
      assertEquals(GemmPrecision.INT8, GemmPrecision.defaultFor(QuantFormat.of(ck)));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(Set.of("float", "int8"), new TreeSet<>(s.map(p -> p.getFileName().toString()).toList()), "no temporary files left");
    }
  }

  @Test
  void annotatedKeepsFloatWeightsAndInt16StoresShorts() throws IOException {
    Path ann = convert("annotated", QuantFormat.ANNOTATED, null, false);
    Path i16 = convert("int16", QuantFormat.INT16, null, false);
    try (SafetensorsFile in = SafetensorsFile.open(src.resolve("model.safetensors"));
        SafetensorsFile a = SafetensorsFile.open(ann.resolve("model.safetensors"));
        SafetensorsFile s = SafetensorsFile.open(i16.resolve("model.safetensors"))) {
      String n = "model.decoder.layers.1.fc2.weight";
      float[] w = in.floats(n, 24, 40);
      assertArrayEquals(w, a.floats(n, 24, 40));
      assertEquals(127f / Int8.maxAbsolute(w), a.floats(n + "_scale", 1)[0]);
      assertEquals(DType.I16, s.info(n).dtype());
      float q = s.floats(n + "_scale", 1)[0];
      assertEquals(QuantizedDense.weightQuantMult(GemmPrecision.INT16, Int8.maxAbsolute(w), 40), q);
      assertArrayEquals(QuantizedDense.quantize16(w, q), s.shorts(n, 24, 40));
      assertEquals("annotated", a.metadata().get(QuantFormat.KEY_FORMAT));
      assertEquals("float32", a.metadata().get(QuantFormat.KEY_PRECISION));
      assertEquals("int16", s.metadata().get(QuantFormat.KEY_PRECISION));
    }
    try (Translator t = Translator.load(i16, new Translator.Settings(1, GemmPrecision.INT16))) {
      assertEquals(20, t.translate(Files.readAllLines(src.resolve("inputs.en")), t.defaultOptions().withMaxLength(16)).size());
    }
  }

  /** A TensorSource that records which tensors were read as floats. */
  record Recording(MarianCheckpoint ck, Set<String> floats) implements TensorSource {
    @Override public boolean contains(String name) { return ck.contains(name); }
    @Override public Set<String> names() { return ck.names(); }
    @Override public float[] floats(String name, long... shape) { floats.add(ck.info(name).name()); return ck.floats(name, shape); }
    @Override public long[] shape(String name) { return ck.shape(name); }
    @Override public TensorInfo info(String name) { return ck.info(name); }
    @Override public byte[] bytes(String name, long... shape) { return ck.bytes(name, shape); }
    @Override public short[] shorts(String name, long... shape) { return ck.shorts(name, shape); }
    @Override public Map<String, String> metadata() { return ck.metadata(); }
    @Override public void close() {}
  }

  @Test
  void int8LoadsWithoutFloatWeightsAndTranslatesLikeAnnotatedAndOnTheFly() throws IOException {
    Path int8 = convert("int8", QuantFormat.INT8, null, false);
    Path ann = convert("annotated", QuantFormat.ANNOTATED, null, false);
    try (MarianCheckpoint ck = MarianCheckpoint.open(int8)) {
      Recording r = new Recording(ck, new TreeSet<>());
      MarianModel.load(ck.config(), r, GemmPrecision.INT8);
      Set<String> integers = new TreeSet<>();
      for (TensorInfo t : ck.files().get(0).tensors().values()) {
        if (t.dtype() == DType.I8) {
          integers.add(t.name());
        }
      }
      assertEquals(33, integers.size());
      for (String n : r.floats()) {
        assertFalse(integers.contains(n), n + " was read as floats");
      }
    }
    List<String> inputs = Files.readAllLines(src.resolve("inputs.en"));
    for (GemmPrecision p : List.of(GemmPrecision.INT8, GemmPrecision.INT8_SHIFT)) {
      List<List<Hypothesis>> want = null;
      for (Path dir : List.of(src, ann, int8)) {
        try (Translator t = Translator.load(dir, new Translator.Settings(2, p))) {
          TranslationOptions o = t.defaultOptions().withBeamSize(3).withNBest(3).withMaxLength(16);
          List<int[]> ids = new ArrayList<>();
          for (String s : inputs) {
            if (!s.isBlank()) {
              ids.add(t.tokenizer().encode(s));
            }
          }
          t.translateIds(ids, o); // warm up before comparing bits
          List<List<Hypothesis>> got = t.translateIds(ids, o);
          if (want == null) {
            want = got;
          } else {
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
              for (int j = 0; j < want.get(i).size(); j++) {
                assertArrayEquals(want.get(i).get(j).tokens(), got.get(i).get(j).tokens(), p + " " + dir.getFileName() + " sentence " + i);
                assertEquals(want.get(i).get(j).score(), got.get(i).get(j).score(), p + " " + dir.getFileName() + " sentence " + i);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void keepOutputFloatLeavesTheEmbeddingFloat() throws IOException {
    Path out = convert("int8", QuantFormat.INT8, null, true);
    try (SafetensorsFile q = SafetensorsFile.open(out.resolve("model.safetensors"))) {
      assertEquals(DType.F32, q.info("model.shared.weight").dtype());
      assertFalse(q.contains("model.shared.weight_scale"));
      assertEquals(DType.I8, q.info("model.encoder.layers.0.fc1.weight").dtype());
      assertEquals("float32", q.metadata().get(QuantFormat.KEY_OUTPUT_LAYER));
    }
    try (Translator t = Translator.load(out, new Translator.Settings(1, GemmPrecision.INT8_SHIFT))) {
      assertEquals(20, t.translate(Files.readAllLines(src.resolve("inputs.en")), t.defaultOptions().withMaxLength(16)).size());
    }
  }

  @Test
  void calibrationStoresOneActivationScalePerLayerAndTheLoaderUsesThem() throws IOException {
    Path text = tmp.resolve("calib.en");
    Files.writeString(text, String.join("\n", Files.readAllLines(src.resolve("inputs.en"))) + "\n\n", StandardCharsets.UTF_8);
    TranslationOptions quick;
    try (MarianCheckpoint ck = MarianCheckpoint.open(src)) {
      quick = TranslationOptions.of(ck.generationConfig()).withMaxLength(20);
    }
    Path ann = tmp.resolve("annotated");
    CheckpointConverter.convert(
        new CheckpointConverter.Request(src, ann, QuantFormat.ANNOTATED, text, quick, false, false, "t", 2, log::add));
    assertTrue(log.stream().anyMatch(l -> l.startsWith("calibrating activation scales on ")), log.toString());
    Path int8 = tmp.resolve("int8-from-annotated");
    CheckpointConverter.convert(
        new CheckpointConverter.Request(ann, int8, QuantFormat.INT8, null, null, false, false, "t", 1, s -> {}));
    try (SafetensorsFile a = SafetensorsFile.open(ann.resolve("model.safetensors"));
        SafetensorsFile q = SafetensorsFile.open(int8.resolve("model.safetensors"))) {
      int act = 0;
      for (String n : a.tensors().keySet()) {
        if (n.endsWith("_act_scale")) {
          act++;
          float v = a.floats(n, 1)[0];
          assertTrue(v > 0 && v < Float.POSITIVE_INFINITY, n);
          assertEquals(v, q.floats(n, 1)[0], "an annotated source keeps its calibration: " + n);
        }
      }
      assertEquals(33, act);
      assertTrue(a.contains("lm_head.weight_act_scale"));
      assertTrue(a.contains("model.encoder.layers.0.self_attn.q_proj.weight_act_scale"));
      assertTrue(a.metadata().get(QuantFormat.KEY_CALIBRATION).startsWith("calib.en (19 lines, sha256 "), a.metadata().toString());
      assertEquals(a.metadata().get(QuantFormat.KEY_CALIBRATION), q.metadata().get(QuantFormat.KEY_CALIBRATION));
    }
    try (MarianCheckpoint ck = MarianCheckpoint.open(int8)) {
      LayerLoader loader = LayerLoader.of(ck, GemmPrecision.INT8_SHIFT, LayerLoader.Options.defaults());
      QuantizedDense d = (QuantizedDense) loader.dense("decoder.layers.1.fc2.", 24, 40);
      assertTrue(d.hasStaticActivations());
      assertEquals(ck.floats("decoder.layers.1.fc2.weight_act_scale", 1)[0], d.activationQuantMult());
      QuantizedDense out = (QuantizedDense) loader.tables(ck.config()).output();
      assertEquals(ck.floats("lm_head.weight_act_scale", 1)[0], out.activationQuantMult());
      LayerLoader dynamic = LayerLoader.of(ck, GemmPrecision.INT8_SHIFT, new LayerLoader.Options(false, false, null));
      assertFalse(((QuantizedDense) dynamic.dense("decoder.layers.1.fc2.", 24, 40)).hasStaticActivations());
      LayerLoader int16 = LayerLoader.of(MarianCheckpoint.open(ann), GemmPrecision.INT16, LayerLoader.Options.defaults());
      assertFalse(((QuantizedDense) int16.dense("decoder.layers.1.fc2.", 24, 40)).hasStaticActivations());
    }
    try (Translator t = Translator.load(int8, new Translator.Settings(1, GemmPrecision.INT8))) {
      assertEquals(20, t.translate(Files.readAllLines(src.resolve("inputs.en")), t.defaultOptions().withMaxLength(16)).size());
    }
  }

  @Test
  void calibrationStatisticsAreMeanPlus1Point1Std() {
    Calibrator.LayerStats s = Calibrator.stats(List.of(1f, 2f, 3f, 6f));
    assertEquals(4, s.calls());
    assertEquals(3.0, s.mean(), 1e-12);
    assertEquals(Math.sqrt((4 + 1 + 0 + 9) / 4.0), s.std(), 1e-12);
    assertEquals((float) (127 / (3 + 1.1 * Math.sqrt(3.5))), s.quantMult());
    assertTrue(Float.isNaN(Calibrator.stats(List.of(0f, 0f)).quantMult()));
  }

  @Test
  void refusesToOverwriteOrReplaceTheInput() throws IOException {
    Map<String, byte[]> before = snapshot(src);
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> convert("float", QuantFormat.INT8, null, false));
    assertTrue(same.getMessage().contains("is the input model directory"), same.getMessage());
    Path link = tmp.resolve("link");
    Files.createSymbolicLink(link, src);
    assertThrows(IllegalArgumentException.class, () -> CheckpointConverter.convert(
        new CheckpointConverter.Request(src, link, QuantFormat.INT8, null, null, false, true, "t", 1, s -> {})));
    IllegalArgumentException parent = assertThrows(IllegalArgumentException.class, () -> CheckpointConverter.convert(
        new CheckpointConverter.Request(src, tmp, QuantFormat.INT8, null, null, false, true, "t", 1, s -> {})));
    assertTrue(parent.getMessage().contains("contains the input model"), parent.getMessage());
    assertSameFiles(before, snapshot(src));
    // inside the input directory is fine: nothing there is overwritten
    Path inside = src.resolve("int8");
    CheckpointConverter.convert(new CheckpointConverter.Request(src, inside, QuantFormat.INT8, null, null, false, false, "t", 1, s -> {}));
    assertTrue(Files.isRegularFile(inside.resolve("model.safetensors")));
    Map<String, byte[]> after = snapshot(src);
    after.remove("int8");
    before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
  }

  @Test
  void aNonEmptyOutputNeedsForceAndIsThenReplaced() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "x");
    SettingException e = assertThrows(SettingException.class, () -> convert("out", QuantFormat.INT8, null, false));
    assertEquals(SettingException.Setting.FORCE, e.setting());
    assertEquals(out.toAbsolutePath().normalize() + ": exists and is not empty (use force to replace it)", e.getMessage());
    assertTrue(e.render(x -> "--force").endsWith("exists and is not empty (use --force to replace it)"));
    assertTrue(Files.exists(out.resolve("old.txt")));
    CheckpointConverter.convert(new CheckpointConverter.Request(src, out, QuantFormat.INT8, null, null, false, true, "t", 1, s -> {}));
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    Files.createDirectories(tmp.resolve("empty"));
    convert("empty", QuantFormat.ANNOTATED, null, false);
    assertTrue(Files.isRegularFile(tmp.resolve("empty/model.safetensors")));
  }

  @Test
  void badInputsFailWithOneLineAndLeaveNothingBehind() throws IOException {
    Path none = tmp.resolve("none");
    CheckpointException missing = assertThrows(CheckpointException.class, () -> CheckpointConverter.convert(
        new CheckpointConverter.Request(tmp.resolve("nope"), none, QuantFormat.INT8, null, null, false, false, "t", 1, s -> {})));
    assertTrue(missing.getMessage().contains("no such directory"), missing.getMessage());
    SettingException calib = assertThrows(SettingException.class, () -> convert("none", QuantFormat.INT8, tmp.resolve("x.en"), false));
    assertEquals(SettingException.Setting.CALIBRATION, calib.setting());
    assertTrue(calib.getMessage().endsWith("x.en (calibration): no such file"), calib.getMessage());
    Files.writeString(tmp.resolve("blank.en"), "\n  \n");
    assertThrows(IllegalArgumentException.class, () -> convert("none", QuantFormat.INT8, tmp.resolve("blank.en"), false));
    assertThrows(IllegalArgumentException.class, () -> convert("no/such/parent", QuantFormat.INT8, null, false));
    assertEquals(SettingException.Setting.FORMAT,
        assertThrows(SettingException.class, () -> convert("none", QuantFormat.FLOAT32, null, false)).setting());
    // an already quantized source
    Path int8 = convert("int8", QuantFormat.INT8, null, false);
    CheckpointException again = assertThrows(CheckpointException.class, () -> CheckpointConverter.convert(
        new CheckpointConverter.Request(int8, none, QuantFormat.INT16, null, null, false, false, "t", 1, s -> {})));
    assertTrue(again.getMessage().contains("already quantized (int8)"), again.getMessage());
    // a NaN weight fails mid-way: no output and no temporary directory
    try (SafetensorsFile in = SafetensorsFile.open(src.resolve("model.safetensors"))) {
      SafetensorsWriter w = new SafetensorsWriter();
      in.metadata().forEach(w::metadata);
      for (TensorInfo t : in.tensors().values()) {
        float[] v = in.floats(t.name(), t.shape());
        if (t.name().equals("model.decoder.layers.1.fc1.weight")) {
          v[7] = Float.NaN;
        }
        w.addF32(t.name(), v, t.shape());
      }
      w.write(tmp.resolve("bad.safetensors"));
    }
    Files.move(tmp.resolve("bad.safetensors"), src.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    CheckpointException nan = assertThrows(CheckpointException.class, () -> convert("none", QuantFormat.INT8, null, false));
    assertTrue(nan.getMessage().contains("model.decoder.layers.1.fc1.weight': weight has NaN or infinite values"), nan.getMessage());
    assertEquals(1, nan.getMessage().lines().count());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".") || p.getFileName().toString().equals("none")).toList());
    }
  }

  @Test
  void quantizedCheckpointsRefuseOtherPrecisions() throws IOException {
    Path int8 = convert("int8", QuantFormat.INT8, null, false);
    for (GemmPrecision p : List.of(GemmPrecision.FLOAT32, GemmPrecision.INT16)) {
      CheckpointException e = assertThrows(CheckpointException.class, () -> Translator.load(int8, new Translator.Settings(1, p)));
      assertTrue(
          e.getMessage().contains("stored as int8; they run with precision int8 or int8shift (not " + p.cliName() + ")"),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
      PrecisionMismatchException typed = assertInstanceOf(PrecisionMismatchException.class, e);
      assertEquals(QuantFormat.INT8, typed.stored());
      assertEquals(p, typed.requested());
    }
    Path int16 = convert("int16", QuantFormat.INT16, null, false);
    CheckpointException e = assertThrows(CheckpointException.class, () -> Translator.load(int16, new Translator.Settings(1, GemmPrecision.INT8)));
    assertTrue(e.getMessage().contains("they run with precision int16 (not int8)"), e.getMessage());
    assertNotEquals(QuantFormat.of(MarianCheckpoint.open(int16)), QuantFormat.INT8);
  }

  /** Replaces one same-length byte string in a file's safetensors header (metadata values). */
  private static void patchHeader(Path file, String from, String to) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String latin = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = latin.indexOf(from);
    assertTrue(at > 0 && from.length() == to.length(), from);
    System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, at, to.length());
    Files.write(file, bytes);
  }

  @Test
  void theFormatVersionIsCheckedOnLoadAndTheDefaultPrecisionFollowsTheFormat() throws IOException {
    Path int8 = convert("int8", QuantFormat.INT8, null, false);
    try (Translator t = Translator.load(int8, Translator.Settings.defaults())) {
      assertEquals(GemmPrecision.INT8, t.precision());
    }
    try (Translator t = Translator.load(src, Translator.Settings.threads(2))) {
      assertEquals(GemmPrecision.FLOAT32, t.precision());
    }
    Path weights = int8.resolve(MarianCheckpoint.SAFETENSORS);
    patchHeader(weights, "\"jnmt_format_version\":\"1\"", "\"jnmt_format_version\":\"2\"");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> Translator.load(int8, Translator.Settings.defaults()));
    assertEquals(
        weights + ": jnmt_format_version is '2' but this jnmt reads version 1 only; convert the float32 model"
            + " again with this jnmt (jnmt convert)",
        e.getMessage());
    // An explicit precision does not skip the check.
    assertThrows(
        CheckpointException.class, () -> Translator.load(int8, new Translator.Settings(1, GemmPrecision.INT8)));
    patchHeader(weights, "\"jnmt_format\":\"int8\"", "\"jnmt_format\":\"int4\"");
    e = assertThrows(CheckpointException.class, () -> Translator.load(int8, Translator.Settings.defaults()));
    assertEquals(
        weights + ": jnmt_format 'int4' is not a format this jnmt reads (float32, annotated, int8, int16)",
        e.getMessage());
  }
}
