package dev.jnmt.spark;

import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.io.ModelSource;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Translator} per JVM (executor or local-mode driver) and model: loaded lazily by the first
 * task that needs it, then shared by every task thread of that JVM (the translator is thread-safe and
 * each task decodes on its own thread, so an executor with N cores runs N tasks on one copy of the
 * weights). Never closed explicitly: it lives as long as the executor.
 */
public final class ExecutorTranslators {

  private record Key(Path model, GemmPrecision precision) {}

  private static final ConcurrentHashMap<Key, Translator> TRANSLATORS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private record ShortlistKey(Translator translator, List<String> spec) {}

  private static final ConcurrentHashMap<ShortlistKey, Shortlist> SHORTLISTS = new ConcurrentHashMap<>();

  private ExecutorTranslators() {}

  /** The translator of this JVM for the model, loading it if no task has yet. */
  public static Translator get(ModelRef model, GemmPrecision precision) {
    Path dir = model.resolve().toAbsolutePath().normalize();
    GemmPrecision p = precision;
    if (p == null) {
      // the checkpoint's own precision, resolved first so that "default" and its name share one copy
      try (ModelSource source = ModelSource.directory(dir)) {
        p = Translator.precisionFor(source, null);
      } catch (RuntimeException e) {
        throw new JobError("model " + model + ": " + oneLine(e), e);
      }
    }
    return TRANSLATORS.computeIfAbsent(new Key(dir, p), k -> load(k, model));
  }

  private static Translator load(Key k, ModelRef model) {
    long t0 = System.nanoTime();
    Translator t;
    try {
      // One decoding thread: Spark's task threads are the parallelism (tasks = cores).
      t = Translator.load(k.model(), new Translator.Settings(1, k.precision()));
    } catch (RuntimeException e) {
      throw new JobError("model " + model + ": " + oneLine(e), e);
    }
    int n = LOADS.incrementAndGet();
    System.err.printf(
        "jnmt-spark: model %s loaded (%s) in %.1f s by pid %d, load #%d of this JVM%n",
        k.model(),
        t.precision().cliName(),
        (System.nanoTime() - t0) / 1e9,
        ProcessHandle.current().pid(),
        n);
    return t;
  }

  /** This JVM's copy of the settings' shortlist for a translator, read once. */
  static Shortlist shortlist(TranslateSettings s, Translator t) {
    List<String> values = new ArrayList<>(s.shortlist());
    values.set(0, s.shortlistFile().resolveFile().toString());
    return SHORTLISTS.computeIfAbsent(
        new ShortlistKey(t, List.copyOf(values)),
        k -> {
          try {
            return t.loadShortlist(ShortlistSpec.parse(k.spec()));
          } catch (RuntimeException e) {
            throw new JobError("shortlist " + s.shortlist().getFirst() + ": " + oneLine(e), e);
          }
        });
  }

  /** How many models this JVM has loaded (tests check it stays at one per executor). */
  public static int loads() {
    return LOADS.get();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
