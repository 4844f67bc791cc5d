package dev.jnmt.decoder.text;

import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.config.TokenizerConfig;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face's MarianTokenizer (the slow, SentencePiece one) re-implemented over a model directory:
 * {@code source.spm}, {@code target.spm}, {@code vocab.json}, {@code target_vocab.json} (only with
 * separate_vocabs) and the optional {@code tokenizer_config.json} / {@code special_tokens_map.json}.
 *
 * <p>Encode (transformers {@code tokenization_marian.py}): the text is split on the literal special-token
 * strings ({@code </s>}, {@code <unk>}, {@code <pad>}), which map straight to their ids (the text
 * around them is not stripped, as in transformers 4.34 and later). Each remaining chunk that starts
 * with {@code >>} and contains {@code <<} yields a target-language tag (e.g. {@code >>fra<<}) looked up
 * whole; the rest is segmented by source.spm (no sampling) and every piece is looked up in vocab.json,
 * an unknown piece giving {@code <unk>}. {@code </s>} is appended. The spm ids are never used.
 *
 * <p>Decode: special ids are dropped (when skipping special tokens), ids become pieces through the
 * reversed target vocabulary, target.spm joins the pieces (DecodePieces), a leftover "▁" becomes a
 * space, the result is stripped of (Python) whitespace, and HF's clean-up replacements optionally
 * follow (" ." → ".", " ," → ",", " n't" → "n't", ...; default: tokenizer_config.json's
 * clean_up_tokenization_spaces, else true as in HF 4.x).
 *
 * <p>Thread-safe; {@link #close} releases the native SentencePiece processors.
 */
public final class MarianTokenizer implements Tokenizer {

  private static final String SPIECE_UNDERLINE = "\u2581";

  private final TokenizerConfig config;
  private final SentencePieceModel sourceSpm;
  private final SentencePieceModel targetSpm;
  private final Vocabulary sourceVocab;
  private final Vocabulary targetVocab;
  private final List<String> specialTokens;
  private final int eosId;
  private final int unkId;
  private final int padId;
  private final boolean[] targetSpecial;
  private final boolean cleanUpByDefault;

  private MarianTokenizer(
      TokenizerConfig config,
      SentencePieceModel sourceSpm,
      SentencePieceModel targetSpm,
      Vocabulary sourceVocab,
      Vocabulary targetVocab) {
    this.config = config;
    this.sourceSpm = sourceSpm;
    this.targetSpm = targetSpm;
    this.sourceVocab = sourceVocab;
    this.targetVocab = targetVocab;
    this.specialTokens = List.of(config.eosToken(), config.unkToken(), config.padToken());
    this.eosId = requiredId(sourceVocab, config.eosToken());
    this.unkId = requiredId(sourceVocab, config.unkToken());
    this.padId = requiredId(sourceVocab, config.padToken());
    this.targetSpecial = new boolean[targetVocab.idLimit()];
    for (String s : specialTokens) {
      targetVocab.id(s).ifPresent(id -> targetSpecial[id] = true);
    }
    this.cleanUpByDefault = config.cleanUpByDefault();
  }

  private static int requiredId(Vocabulary v, String token) {
    return v.id(token)
        .orElseThrow(() -> new CheckpointException(v.source() + ": the special token '" + token + "' is not in the vocabulary"));
  }

  /**
   * Loads the tokenizer files of a HF MarianMT directory.
   *
   * @throws CheckpointException naming the missing or malformed file
   */
  public static MarianTokenizer open(Path dir) {
    TokenizerConfig config = TokenizerConfig.read(dir);
    Vocabulary source = Vocabulary.read(dir.resolve("vocab.json"));
    Vocabulary target = source;
    if (config.separateVocabs()) {
      Path tv = dir.resolve("target_vocab.json");
      if (!Files.isRegularFile(tv)) {
        throw new CheckpointException(tv + ": no such file (tokenizer_config.json sets separate_vocabs)");
      }
      target = Vocabulary.read(tv);
    }
    Path srcPath = dir.resolve("source.spm");
    Path tgtPath = dir.resolve("target.spm");
    SentencePieceModel src = SentencePieceModel.load(srcPath);
    try {
      // Joint-vocabulary models ship the same file twice; one native processor serves both sides.
      SentencePieceModel tgt = sameBytes(srcPath, tgtPath) ? src : SentencePieceModel.load(tgtPath);
      try {
        return new MarianTokenizer(config, src, tgt, source, target);
      } catch (RuntimeException e) {
        tgt.close();
        throw e;
      }
    } catch (RuntimeException e) {
      src.close();
      throw e;
    }
  }

  private static boolean sameBytes(Path a, Path b) {
    try {
      return Files.isRegularFile(b) && Files.mismatch(a, b) == -1L;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Checks that the vocabularies fit a model config: ids below the embedding sizes, the same eos and
   * pad ids, and separate vocabularies exactly when the config has separate embeddings.
   *
   * @throws CheckpointException naming the vocabulary file
   */
  public void checkCompatible(MarianConfig model) {
    if (config.separateVocabs() == model.shareEncoderDecoderEmbeddings()) {
      throw new CheckpointException(sourceVocab.source() + ": tokenizer separate_vocabs=" + config.separateVocabs() + " contradicts config.json share_encoder_decoder_embeddings=" + model.shareEncoderDecoderEmbeddings());
    }
    if (sourceVocab.idLimit() > model.sourceVocabSize()) {
      throw new CheckpointException(sourceVocab.source() + ": id " + (sourceVocab.idLimit() - 1) + " does not fit the model's vocab_size " + model.sourceVocabSize());
    }
    if (targetVocab.idLimit() > model.targetVocabSize()) {
      throw new CheckpointException(targetVocab.source() + ": id " + (targetVocab.idLimit() - 1) + " does not fit the model's target vocabulary size " + model.targetVocabSize());
    }
    if (eosId != model.eosTokenId()) {
      throw new CheckpointException(sourceVocab.source() + ": '" + config.eosToken() + "' has id " + eosId + " but config.json eos_token_id is " + model.eosTokenId());
    }
    if (padId != model.padTokenId()) {
      throw new CheckpointException(sourceVocab.source() + ": '" + config.padToken() + "' has id " + padId + " but config.json pad_token_id is " + model.padTokenId());
    }
  }

  /** Source text → source ids, {@code </s>} appended. */
  @Override
  public int[] encode(String text) {
    List<String> tokens = tokenize(text);
    int[] ids = new int[tokens.size() + 1];
    for (int i = 0; i < tokens.size(); i++) {
      ids[i] = sourceVocab.idOr(tokens.get(i), unkId);
    }
    ids[tokens.size()] = eosId;
    return ids;
  }

  /** Encodes each text. */
  public int[][] encodeAll(List<String> texts) {
    int[][] out = new int[texts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = encode(texts.get(i));
    }
    return out;
  }

  /**
   * The tokens of {@code text} before the id lookup: special-token strings, the language tag, spm
   * pieces. No {@code </s>} is appended.
   */
  public List<String> tokenize(String text) {
    List<String> chunks = splitOnSpecialTokens(replaceLoneSurrogates(text));
    List<String> out = new ArrayList<>();
    for (String chunk : chunks) {
      if (chunk.isEmpty()) {
        continue;
      }
      if (specialTokens.contains(chunk)) {
        out.add(chunk);
        continue;
      }
      String rest = chunk;
      if (chunk.startsWith(">>")) {
        int end = chunk.indexOf("<<");
        if (end >= 0) {
          out.add(chunk.substring(0, end + 2));
          rest = chunk.substring(end + 2);
        }
      }
      for (String piece : sourceSpm.pieces(rest)) {
        out.add(piece);
      }
    }
    return out;
  }

  /**
   * A lone UTF-16 surrogate has no UTF-8 form (the JNI layer would turn it into '?'); it becomes U+FFFD,
   * the character jnmt substitutes for undecodable input everywhere else.
   */
  static String replaceLoneSurrogates(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lone;
      if (Character.isHighSurrogate(c)) {
        lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (!lone) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        lone = Character.isLowSurrogate(c);
      }
      if (lone && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        out.append(lone ? '\uFFFD' : c);
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * Splits around special-token strings (leftmost match, longest on a tie). The neighbouring text keeps
   * its whitespace: since transformers 4.34 these tokens are AddedTokens with lstrip/rstrip false (older
   * versions stripped it, which only matters for a language tag right after a special token).
   */
  private List<String> splitOnSpecialTokens(String text) {
    List<String> parts = new ArrayList<>();
    int pos = 0;
    while (true) {
      int best = -1;
      String bestToken = null;
      for (String t : specialTokens) {
        int i = text.indexOf(t, pos);
        if (i >= 0 && (best < 0 || i < best || (i == best && t.length() > bestToken.length()))) {
          best = i;
          bestToken = t;
        }
      }
      if (best < 0) {
        parts.add(text.substring(pos));
        break;
      }
      parts.add(text.substring(pos, best));
      parts.add(bestToken);
      pos = best + bestToken.length();
    }
    return parts;
  }

  /**
   * Target ids → text with special tokens skipped and the default clean-up (see the class comment).
   */
  @Override
  public String decode(int[] ids) {
    return decode(ids, true, cleanUpByDefault);
  }

  /**
   * Target ids → text.
   *
   * @param skipSpecialTokens drop {@code </s>}, {@code <unk>} and {@code <pad>} (HF's usual setting);
   *     otherwise they appear verbatim, each followed by a space
   * @param cleanUpTokenizationSpaces apply HF's clean-up replacements
   */
  public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      if (skipSpecialTokens && id >= 0 && id < targetSpecial.length && targetSpecial[id]) {
        continue;
      }
      String piece = targetVocab.piece(id);
      if (piece == null) {
        piece = config.unkToken();
      }
      if (skipSpecialTokens && specialTokens.contains(piece)) {
        continue;
      }
      tokens.add(piece);
    }
    StringBuilder out = new StringBuilder();
    List<String> run = new ArrayList<>();
    for (String t : tokens) {
      if (specialTokens.contains(t)) {
        out.append(targetSpm.decodePieces(run)).append(t).append(' ');
        run.clear();
      } else {
        run.add(t);
      }
    }
    out.append(targetSpm.decodePieces(run));
    String text = PythonStrings.strip(out.toString().replace(SPIECE_UNDERLINE, " "));
    return cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  /** Decodes each id sequence with the default settings. */
  public List<String> decodeAll(List<int[]> idLists) {
    List<String> out = new ArrayList<>(idLists.size());
    for (int[] ids : idLists) {
      out.add(decode(ids));
    }
    return out;
  }

  /** HF's {@code clean_up_tokenization}: literal replacements, in this order. */
  public static String cleanUpTokenization(String s) {
    return s.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }

  public TokenizerConfig config() {
    return config;
  }

  public Vocabulary sourceVocabulary() {
    return sourceVocab;
  }

  /** The target vocabulary (the source one unless separate_vocabs). */
  public Vocabulary targetVocabulary() {
    return targetVocab;
  }

  /** Id of {@code </s>}. */
  public int eosId() {
    return eosId;
  }

  /** Id of {@code <unk>}. */
  public int unkId() {
    return unkId;
  }

  /** Id of {@code <pad>} in the source vocabulary (the batch padding id). */
  public int padId() {
    return padId;
  }

  /** Whether decode drops this target id when skipping special tokens. */
  public boolean isSpecialTargetId(int id) {
    return id >= 0 && id < targetSpecial.length && targetSpecial[id];
  }

  /** The {@code >>xx<<} target-language tags of the source vocabulary (empty for bilingual models). */
  public List<String> languageCodes() {
    return sourceVocab.languageCodes();
  }

  /** The special-token strings: eos, unk, pad. */
  public Set<String> specialTokens() {
    return Set.copyOf(specialTokens);
  }

  @Override
  public void close() {
    try {
      sourceSpm.close();
    } finally {
      if (targetSpm != sourceSpm) {
        targetSpm.close();
      }
    }
  }
}
