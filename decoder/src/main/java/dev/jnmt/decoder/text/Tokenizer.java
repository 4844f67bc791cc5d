package dev.jnmt.decoder.text;

/** Text ↔ model ids, as Hugging Face's MarianTokenizer does it (ids from vocab.json). */
public interface Tokenizer extends AutoCloseable {

  /** Source text → source ids, {@code </s>} appended. */
  int[] encode(String text);

  /** Target ids → text; special tokens ({@code </s>}, {@code <unk>}, {@code <pad>}) removed. */
  String decode(int[] ids);

  @Override
  void close();
}
