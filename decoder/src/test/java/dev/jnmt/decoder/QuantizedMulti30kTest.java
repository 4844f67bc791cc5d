package dev.jnmt.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.PairedTest;
import dev.jnmt.bleu.StatsMetric;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.convert.CheckpointConverter;
import dev.jnmt.decoder.io.QuantFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BLEU regression of quantized decoding: the shipped model on Multi30k test2016 (1,000 lines, greedy),
 * scored with the project's sacrebleu-compatible BLEU (13a, cased) against the human references.
 *
 * <ul>
 *   <li>float32 BLEU ≥ the float32 baseline of {@value #BASELINES} − 0.1;
 *   <li>every quantized variant within 0.5 BLEU of float32: int16, int8, int8shift quantized at load
 *       (per-row activation scales), and int8shift from an int8 checkpoint calibrated on
 *       {@value #CALIBRATION} (static activation scales, Marian's alphas);
 *   <li>and no significant difference from float32: sacrebleu's paired bootstrap test (1,000
 *       resamples, seed 12345, {@link PairedTest}) gives p ≥ 0.05 for every variant;
 *   <li>each variant's output against its golden file {@code test2016.jnmt.<variant>.greedy.de}, at most
 *       {@value #LINE_BUDGET} differing lines (vector widths and JIT tiers may flip a near tie);
 *   <li>the annotated checkpoint converted with the same calibration translates exactly as the int8 one.
 * </ul>
 *
 * <p>Fails, never skips, when the model or a file is missing. {@code -Djnmt.golden.update=true} rewrites
 * the golden files and the baselines (review the diff).
 */
@Tag("multi30k")
class QuantizedMulti30kTest {

  static final Path ROOT = Path.of("..");
  static final Path MODEL = ROOT.resolve("models/multi30k-en-de");
  static final Path DATA = ROOT.resolve("test-data/multi30k");
  static final String BASELINES = "test2016.quantized.bleu.tsv";
  static final String CALIBRATION = "dev.calibration.en";
  static final int LINE_BUDGET = 20;
  static final boolean UPDATE = Boolean.getBoolean("jnmt.golden.update");

  @TempDir static Path tmp;
  static List<String> source;
  static List<String> references;
  static double float32Bleu;
  static List<String> float32Output;
  static Path int8;
  static Path annotated;
  static final Map<String, Double> measured = new LinkedHashMap<>();

  @BeforeAll
  static void setUp() throws IOException {
    assertTrue(
        Files.isRegularFile(MODEL.resolve("model.safetensors")),
        "the shipped model is missing: " + MODEL.toAbsolutePath().normalize());
    source = read("test2016.en");
    references = read("test2016.de");
    long t0 = System.nanoTime();
    float32Output = translate(MODEL, GemmPrecision.FLOAT32);
    float32Bleu = bleu(float32Output);
    measured.put("float32", float32Bleu);
    log("float32 greedy: BLEU %.2f in %.1f s", float32Bleu, (System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    int8 = tmp.resolve("int8");
    annotated = tmp.resolve("annotated");
    Path calibration = DATA.resolve(CALIBRATION);
    assertTrue(Files.isRegularFile(calibration), "calibration text missing: " + calibration.toAbsolutePath().normalize());
    CheckpointConverter.convert(
        new CheckpointConverter.Request(MODEL, annotated, QuantFormat.ANNOTATED, calibration, null, false, false, "test", 2, s -> {}));
    // int8 from the annotated file: the same weight multipliers, and its activation scales carried over
    CheckpointConverter.convert(
        new CheckpointConverter.Request(annotated, int8, QuantFormat.INT8, null, null, false, false, "test", 2, s -> {}));
    log("calibrated and converted in %.1f s", (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void writeBaselines() throws IOException {
    if (!UPDATE) {
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append("# Multi30k test2016 (1,000 lines), greedy, shipped model; BLEU = sacrebleu 2.6.0 13a cased (dev.jnmt.bleu).\n");
    b.append("# Written by QuantizedMulti30kTest with -Djnmt.golden.update=true. variant\tBLEU\n");
    measured.forEach((k, v) -> b.append(k).append('\t').append(String.format(Locale.ROOT, "%.2f", v)).append('\n'));
    Files.writeString(DATA.resolve(BASELINES), b.toString(), StandardCharsets.UTF_8);
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "QuantizedMulti30kTest: " + format + "%n", args);
  }

  static List<String> read(String name) throws IOException {
    Path p = DATA.resolve(name);
    assertTrue(Files.isRegularFile(p), "file missing: " + p.toAbsolutePath().normalize());
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  static List<String> translate(Path model, GemmPrecision p) {
    try (Translator t = Translator.load(model, new Translator.Settings(2, p))) {
      TranslationOptions o = t.defaultOptions().withBeamSize(1);
      return t.translate(source, o);
    }
  }

  static double bleu(List<String> hyp) {
    return new Bleu(Bleu.Options.DEFAULT).corpusScore(hyp, List.of(references)).score();
  }

  static double baseline(String variant) throws IOException {
    for (String line : read(BASELINES)) {
      String[] f = line.split("\t");
      if (!line.startsWith("#") && f.length == 2 && f[0].equals(variant)) {
        return Double.parseDouble(f[1]);
      }
    }
    throw new AssertionError(BASELINES + " has no line for " + variant);
  }

  /** Translates, checks BLEU against float32 and the golden file; returns the output. */
  static List<String> check(String variant, Path model, GemmPrecision p) throws IOException {
    long t0 = System.nanoTime();
    List<String> got = translate(model, p);
    double s = bleu(got);
    measured.put(variant, s);
    log("%s greedy: BLEU %.2f (float32 %.2f) in %.1f s", variant, s, float32Bleu, (System.nanoTime() - t0) / 1e9);
    assertTrue(Math.abs(s - float32Bleu) <= 0.5, variant + " BLEU " + s + " is more than 0.5 from float32's " + float32Bleu);
    PairedTest.Result paired =
        new PairedTest(PairedTest.Kind.BOOTSTRAP, 1000)
            .run(StatsMetric.of(new Bleu(Bleu.Options.DEFAULT)), List.of(float32Output, got), List.of(references))
            .get(1);
    log("%s vs float32: paired bootstrap p = %.4f (mean %.2f ± %.2f)", variant, paired.pValue(), paired.mean(), paired.ci());
    assertTrue(
        paired.pValue() >= 0.05,
        variant + " differs significantly from float32: paired bootstrap p = " + paired.pValue() + " < 0.05");
    String golden = "test2016.jnmt." + variant + ".greedy.de";
    if (UPDATE) {
      Files.write(DATA.resolve(golden), got, StandardCharsets.UTF_8);
    }
    List<String> want = read(golden);
    assertEquals(want.size(), got.size(), golden + " line count");
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < want.size(); i++) {
      if (!want.get(i).equals(got.get(i))) {
        diff.add(i + 1);
      }
    }
    log("%s: %d lines differ from %s", variant, diff.size(), golden);
    assertTrue(diff.size() <= LINE_BUDGET, variant + ": " + diff.size() + " lines differ from " + golden + " (budget " + LINE_BUDGET + "), lines " + diff);
    return got;
  }

  @Test
  void float32IsAtLeastTheBaseline() throws IOException {
    if (!UPDATE) {
      double base = baseline("float32");
      assertTrue(float32Bleu >= base - 0.1, "float32 BLEU " + float32Bleu + " < baseline " + base + " − 0.1");
    }
  }

  @Test
  void int16AtLoad() throws IOException {
    check("int16", MODEL, GemmPrecision.INT16);
  }

  @Test
  void int8AtLoad() throws IOException {
    check("int8", MODEL, GemmPrecision.INT8);
  }

  @Test
  void int8ShiftAtLoad() throws IOException {
    check("int8shift", MODEL, GemmPrecision.INT8_SHIFT);
  }

  @Test
  void int8ShiftCalibratedAndAnnotatedTwinIdentical() throws IOException {
    List<String> fromInt8 = check("int8shift-calibrated", int8, GemmPrecision.INT8_SHIFT);
    List<String> fromAnnotated = translate(annotated, GemmPrecision.INT8_SHIFT);
    for (int i = 0; i < source.size(); i++) {
      assertEquals(fromInt8.get(i), fromAnnotated.get(i), "line " + (i + 1) + " differs between the int8 and annotated files");
    }
  }
}
