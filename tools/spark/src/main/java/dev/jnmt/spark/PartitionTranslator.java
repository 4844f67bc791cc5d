package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Translates the lines of one partition lazily, a block at a time (the translator sorts each block by
 * length into mini-batches, as {@code jnmt translate} does): memory stays bounded by the block, and
 * the output has one line per input line in input order.
 *
 * @param <T> the input records
 */
final class PartitionTranslator<T> implements Iterator<String> {

  /** What a record is: its text and where it is (for error messages). */
  interface Source<T> extends java.io.Serializable {
    String text(T record);

    long offset(T record);
  }

  private final Iterator<T> in;
  private final Source<T> source;
  private final String file;
  private final TranslateSettings settings;
  private Translator translator;
  private TranslationOptions options;
  private List<String> out = List.of();
  private int next;

  PartitionTranslator(Iterator<T> in, Source<T> source, String file, TranslateSettings settings) {
    this.in = in;
    this.source = source;
    this.file = file;
    this.settings = settings;
  }

  @Override
  public boolean hasNext() {
    if (next < out.size()) {
      return true;
    }
    if (!in.hasNext()) {
      return false;
    }
    fill();
    return next < out.size();
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return out.get(next++);
  }

  private void fill() {
    if (translator == null) {
      translator = settings.translator();
      options = settings.options(translator);
    }
    int block = settings.blockLines();
    List<String> lines = new ArrayList<>(block);
    List<Long> offsets = new ArrayList<>(block);
    while (lines.size() < block && in.hasNext()) {
      T r = read();
      lines.add(source.text(r));
      offsets.add(source.offset(r));
    }
    List<String> result;
    try {
      result = translator.translate(lines, options);
    } catch (RuntimeException e) {
      throw pinpoint(lines, offsets, e);
    }
    List<String> clean = new ArrayList<>(result.size());
    for (String s : result) {
      clean.add(TranslateLines.oneLine(s));
    }
    out = clean;
    next = 0;
  }

  private T read() {
    try {
      return in.next();
    } catch (RuntimeException e) {
      throw new JobError(file + ": cannot read: " + ExecutorTranslators.oneLine(e), e);
    }
  }

  /** Finds the first line of a failed block that fails alone, so that the error names it. */
  private RuntimeException pinpoint(List<String> lines, List<Long> offsets, RuntimeException e) {
    for (int i = 0; i < lines.size(); i++) {
      try {
        translator.translate(List.of(lines.get(i)), options);
      } catch (RuntimeException alone) {
        return new LineError(file, offsets.get(i), ExecutorTranslators.oneLine(alone), alone);
      }
    }
    return new LineError(file, offsets.getFirst(), ExecutorTranslators.oneLine(e), e);
  }

  /** A partition function over records of any type. */
  static <T> Function<Iterator<T>, Iterator<String>> of(
      Source<T> source, String file, TranslateSettings settings) {
    return it -> new PartitionTranslator<>(it, source, file, settings);
  }
}
