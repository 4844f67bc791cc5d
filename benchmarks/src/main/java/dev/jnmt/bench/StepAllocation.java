package dev.jnmt.bench;

import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.search.DecoderSession;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Bytes allocated per decoder step after warm-up, measured with the thread's allocation counter (not a
 * timing): a mini-batch of {@code sentences} random sources of 14 tokens decoded with {@code beams} rows per
 * sentence for 24 steps, each step followed by a reorder that gives some rows two children and drops others
 * (as beam search does), and from step 12 on drops a sentence's rows every other step (as finished
 * sentences leave the batch). The session's creation (encoder, cross-attention memory, caches) is outside
 * the measured steps. Prints bytes per step over the measured sessions.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.jnmt.bench.StepAllocation
 *     [model dir] [precision] [sentences] [beams]</pre>
 */
public final class StepAllocation {
  private StepAllocation() {}

  public static void main(String[] args) {
    Path model = Path.of(args.length > 0 ? args[0] : "models/multi30k-en-de");
    GemmPrecision precision = GemmPrecision.fromName(args.length > 1 ? args[1] : "float32");
    int sentences = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int beams = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().threadId();
    try (Translator t = Translator.load(model, new Translator.Settings(1, precision))) {
      MarianModel m = t.model();
      int vocab = m.spec().targetVocabSize();
      int srcVocab = m.spec().sourceVocabSize();
      SplittableRandom r = new SplittableRandom(1);
      long bytes = 0;
      long steps = 0;
      int[][] parentsByLength = new int[sentences * beams + 1][];
      int[][] tokensByLength = new int[sentences * beams + 1][];
      for (int session = 0; session < 160; session++) {
        int[][] src = new int[sentences][];
        for (int s = 0; s < sentences; s++) {
          src[s] = new int[14];
          for (int i = 0; i < 13; i++) {
            src[s][i] = 2 + r.nextInt(srcVocab - 2);
          }
          src[s][13] = m.spec().eosTokenId();
        }
        try (DecoderSession ds = m.startDecoding(m.encode(src))) {
          float[] logits = new float[sentences * beams * vocab];
          int[] tokens = new int[ds.rows()];
          boolean measured = session >= 80;
          int rowsPerSentence = 1;
          int live = sentences;
          long before = 0;
          for (int step = 0; step < 24; step++) {
            if (measured && step == 4) {
              before = threads.getThreadAllocatedBytes(self);
            }
            for (int i = 0; i < tokens.length; i++) {
              tokens[i] = 2 + (i * 31 + step * 7) % (vocab - 2);
            }
            ds.step(tokens, logits);
            // Beam-style reorder: every sentence keeps `beams` rows; its first row gets two children and
            // its last row none; from step 12 on, every other step one sentence leaves.
            if (step >= 12 && step % 2 == 0 && live > 1) {
              live--;
            }
            // One array per length, made in the warm-up sessions, so the tool itself allocates nothing.
            if (parentsByLength[live * beams] == null) {
              parentsByLength[live * beams] = new int[live * beams];
            }
            int[] parents = parentsByLength[live * beams];
            for (int s = 0; s < live; s++) {
              for (int b = 0; b < beams; b++) {
                int old = Math.min(b, rowsPerSentence - 1);
                parents[s * beams + b] = s * rowsPerSentence + (b == beams - 1 && beams > 1 ? 0 : old);
              }
            }
            ds.reorder(parents);
            rowsPerSentence = beams;
            if (tokens.length != parents.length) {
              if (tokensByLength[parents.length] == null) {
                tokensByLength[parents.length] = new int[parents.length];
              }
              tokens = tokensByLength[parents.length];
            }
            if (measured && step >= 4) {
              steps++;
            }
          }
          if (measured) {
            bytes += threads.getThreadAllocatedBytes(self) - before;
          }
        }
      }
      System.out.printf("%s %s, %d sentences x %d beams: %.0f bytes per decoder step (%d steps measured)%n",
          model.getFileName(), precision, sentences, beams, (double) bytes / steps, steps);
    }
  }
}
