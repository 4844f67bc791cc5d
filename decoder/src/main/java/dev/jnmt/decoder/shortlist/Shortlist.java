// Over 400 lines: both Marian shortlist formats (text lexical table and binary) with their validation; they
// build the same immutable structure.
package dev.jnmt.decoder.shortlist;

import dev.jnmt.decoder.text.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Marian lexical shortlist: for every source id the target ids it may translate into, plus the
 * {@code first} target ids 0 … first−1 that are always allowed (Marian's vocabularies, and
 * SentencePiece's, put the most frequent pieces first). Immutable and thread-safe.
 *
 * <p>Two file formats, told apart by the first 8 bytes as Marian does:
 *
 * <ul>
 *   <li><b>text</b> ({@code lex.s2t}, fast_align + extract_lex): one {@code target source probability}
 *       triple per line, separated by blanks; {@code NULL} entries are skipped; a piece that is not in the
 *       vocabulary is skipped and counted (Marian would map it to {@code <unk>}); a pair listed twice keeps
 *       its larger probability. Per source piece the {@code best} most probable targets with probability
 *       &gt; {@code threshold} are kept, ties broken towards the higher target id (Marian sorts (probability,
 *       id) pairs descending).
 *   <li><b>binary</b> ({@code lex.50.50.*.s2t.bin} of Bergamot, Marian's BinaryShortlistGenerator), little
 *       endian: {@code u64 magic 0xF11A48D5013417F5, u64 checksum, u64 firstNum, u64 bestNum,
 *       u64 wordToOffsetSize, u64 shortListsSize}, then {@code wordToOffsetSize} u64 offsets (source id
 *       s owns ids [offset[s], offset[s+1]); wordToOffsetSize = source vocabulary size + 1, the last
 *       offset = shortListsSize), then {@code shortListsSize} u32 target ids, each source's sorted. The
 *       checksum is Marian's {@code util::hashMem<uint64_t>} over the floor((size − 16) / 8) u64 words
 *       after magic and checksum: {@code seed ^= w + 0x9e3779b9 + (seed << 6) + (seed >> 2)}, seed 0
 *       (so with an odd number of ids the last one is not covered; the id range check still applies).
 * </ul>
 *
 * <p>With a joint vocabulary ({@code shared}) the source ids themselves are candidates too, as in Marian
 * when source and target vocabularies are the same (names and numbers can be copied).
 */
public final class Shortlist {

  public static final long MAGIC = 0xF11A48D5013417F5L;
  static final int HEADER_BYTES = 48;

  /** Which file format a shortlist was read from. */
  public enum Format {
    TEXT,
    BINARY
  }

  private final Path file;
  private final Format format;
  private final int first;
  private final int best;
  private final double threshold;
  private final boolean shared;
  private final int targetVocab;
  private final int[] offsets;
  private final int[] ids;
  private final long entriesRead;
  private final long skipped;

  private Shortlist(
      Path file, Format format, int first, int best, double threshold, boolean shared, int targetVocab,
      int[] offsets, int[] ids, long entriesRead, long skipped) {
    this.file = file;
    this.format = format;
    this.first = first;
    this.best = best;
    this.threshold = threshold;
    this.shared = shared;
    this.targetVocab = targetVocab;
    this.offsets = offsets;
    this.ids = ids;
    this.entriesRead = entriesRead;
    this.skipped = skipped;
  }

  /**
   * Reads a shortlist for a model's vocabularies; text or binary is decided by the magic number.
   * {@code shared} is set when both sides use the same vocabulary object.
   *
   * @throws ShortlistException one line naming the file (and line) for an unreadable, truncated or
   *     inconsistent file, a bad checksum, ids beyond the vocabulary, or parameters a binary file cannot
   *     honour
   */
  public static Shortlist load(ShortlistSpec spec, Vocabulary source, Vocabulary target) {
    Path f = spec.file();
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(f)) {
      n = in.readNBytes(head, 0, 8);
    } catch (IOException e) {
      throw new ShortlistException(f + ": cannot read the shortlist (" + e.getMessage() + ")", e);
    }
    boolean binary = n == 8 && ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong() == MAGIC;
    boolean shared = source == target;
    return binary
        ? readBinary(spec, source.idLimit(), target.idLimit(), shared)
        : readText(spec, source, target, shared);
  }

  /** Whether a file starts with the binary shortlist magic number. */
  public static boolean isBinary(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(8);
      return head.length == 8 && ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong() == MAGIC;
    }
  }

  // ---------------------------------------------------------------- text

  static Shortlist readText(ShortlistSpec spec, Vocabulary source, Vocabulary target, boolean shared) {
    Path f = spec.file();
    int first = spec.first().orElse(ShortlistSpec.DEFAULT_FIRST);
    int best = spec.best().orElse(ShortlistSpec.DEFAULT_BEST);
    // Marian parses the threshold as a float and compares floats
    float threshold = (float) spec.threshold().orElse(0);
    int sv = source.idLimit();
    // per source id: target id -> probability
    List<Map<Integer, Float>> table = new ArrayList<>(sv);
    for (int i = 0; i < sv; i++) {
      table.add(null);
    }
    long read = 0;
    long skipped = 0;
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    long lineNo = 0;
    try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(f), decoder))) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty()) {
          continue;
        }
        String[] parts = s.split("\\s+");
        if (parts.length != 3) {
          throw new ShortlistException(f + ":" + lineNo + ": expected 'target source probability', got "
              + parts.length + " field(s)");
        }
        float p;
        try {
          p = Float.parseFloat(parts[2]);
        } catch (NumberFormatException e) {
          throw new ShortlistException(f + ":" + lineNo + ": probability '" + parts[2] + "' is not a number");
        }
        if (!(p >= 0f) || Float.isInfinite(p)) {
          throw new ShortlistException(f + ":" + lineNo + ": probability " + parts[2] + " is not a finite number ≥ 0");
        }
        read++;
        if (parts[0].equals("NULL") || parts[1].equals("NULL")) {
          continue;
        }
        int t = target.idOr(parts[0], -1);
        int src = source.idOr(parts[1], -1);
        if (t < 0 || src < 0) {
          skipped++;
          continue;
        }
        Map<Integer, Float> m = table.get(src);
        if (m == null) {
          m = new HashMap<>();
          table.set(src, m);
        }
        m.merge(t, p, Math::max);
      }
    } catch (CharacterCodingException e) {
      throw new ShortlistException(f + ":" + (lineNo + 1) + ": not UTF-8 text (and not a binary shortlist: wrong magic number)", e);
    } catch (IOException e) {
      throw new ShortlistException(f + ": cannot read the shortlist (" + e.getMessage() + ")", e);
    }
    if (read == 0) {
      throw new ShortlistException(f + ": empty shortlist (no 'target source probability' lines)");
    }
    if (skipped == read) {
      throw new ShortlistException(f + ": none of the " + read + " entries has both pieces in the model's vocabulary"
          + " (a shortlist for another model?)");
    }
    int[] offsets = new int[sv + 1];
    int[] ids = new int[64];
    int n = 0;
    long[] sorter = new long[0];
    for (int src = 0; src < sv; src++) {
      offsets[src] = n;
      Map<Integer, Float> m = table.get(src);
      if (m == null) {
        continue;
      }
      if (sorter.length < m.size()) {
        sorter = new long[m.size()];
      }
      int k = 0;
      for (Map.Entry<Integer, Float> e : m.entrySet()) {
        // probability bits (non-negative floats order as their bits) above the id: ascending order of
        // the long = ascending (probability, id)
        sorter[k++] = ((long) Float.floatToIntBits(e.getValue()) << 32) | e.getKey();
      }
      Arrays.sort(sorter, 0, k);
      int start = n;
      for (int j = k - 1; j >= 0 && n - start < best; j--) {
        float p = Float.intBitsToFloat((int) (sorter[j] >>> 32));
        if (!(p > threshold)) {
          break;
        }
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
        }
        ids[n++] = (int) sorter[j];
      }
      Arrays.sort(ids, start, n);
    }
    offsets[sv] = n;
    return new Shortlist(f, Format.TEXT, first, best, threshold, shared, target.idLimit(), offsets,
        Arrays.copyOf(ids, n), read, skipped);
  }

  // ---------------------------------------------------------------- binary

  static Shortlist readBinary(ShortlistSpec spec, int sourceVocab, int targetVocab, boolean shared) {
    Path f = spec.file();
    byte[] bytes;
    try {
      long size = Files.size(f);
      if (size > Integer.MAX_VALUE - 16) {
        throw new ShortlistException(f + ": binary shortlist of " + size + " bytes is too large");
      }
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new ShortlistException(f + ": cannot read the shortlist (" + e.getMessage() + ")", e);
    }
    Header h = header(f, bytes);
    if (h.wordToOffsetSize() - 1 != sourceVocab) {
      throw new ShortlistException(f + ": offset table covers " + (h.wordToOffsetSize() - 1)
          + " source ids but the model's source vocabulary has " + sourceVocab + " (a shortlist for another model?)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int w = (int) h.wordToOffsetSize();
    int n = (int) h.shortListsSize();
    int[] offsets = new int[w];
    b.position(HEADER_BYTES);
    long prev = 0;
    for (int i = 0; i < w; i++) {
      long o = b.getLong();
      if (o < prev || o > n) {
        throw new ShortlistException(f + ": offset " + i + " is " + Long.toUnsignedString(o)
            + ", outside [" + prev + ", " + n + "] (corrupt offset table)");
      }
      offsets[i] = (int) o;
      prev = o;
    }
    if (offsets[0] != 0 || offsets[w - 1] != n) {
      throw new ShortlistException(f + ": offset table runs from " + offsets[0] + " to " + offsets[w - 1]
          + ", not from 0 to shortListsSize " + n);
    }
    int[] ids = new int[n];
    for (int j = 0; j < n; j++) {
      long id = Integer.toUnsignedLong(b.getInt());
      if (id >= targetVocab) {
        throw new ShortlistException(f + ": target id " + id + " (entry " + j + ") is beyond the model's target vocabulary of "
            + targetVocab);
      }
      ids[j] = (int) id;
    }
    int first = (int) Math.min(h.firstNum(), Integer.MAX_VALUE);
    int best = (int) Math.min(h.bestNum(), Integer.MAX_VALUE);
    if (spec.best().isPresent() && spec.best().getAsInt() != best) {
      throw new ShortlistException(f + ": binary shortlist built with best " + best
          + "; BEST " + spec.best().getAsInt() + " cannot be applied (binary lists carry no probabilities)");
    }
    if (spec.threshold().isPresent()) {
      throw new ShortlistException(f + ": binary shortlist: THRESHOLD cannot be applied (binary lists carry no probabilities)");
    }
    if (spec.first().isPresent()) {
      first = spec.first().getAsInt();
    }
    return new Shortlist(f, Format.BINARY, first, best, Double.NaN, shared, targetVocab, offsets, ids, n, 0);
  }

  /** The fields of a binary shortlist header. */
  public record Header(long checksum, long firstNum, long bestNum, long wordToOffsetSize, long shortListsSize) {}

  /**
   * Reads and checks a binary shortlist's header, size and checksum (not the vocabulary ranges).
   *
   * @throws ShortlistException naming the file
   */
  public static Header header(Path f, byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new ShortlistException(f + ": truncated binary shortlist: " + bytes.length + " bytes, the header alone needs "
          + HEADER_BYTES);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long magic = b.getLong();
    if (magic != MAGIC) {
      throw new ShortlistException(f + ": wrong magic number 0x" + Long.toHexString(magic) + " (a binary shortlist starts with 0x"
          + Long.toHexString(MAGIC) + ")");
    }
    Header h = new Header(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    if (h.wordToOffsetSize() < 1 || h.wordToOffsetSize() > Integer.MAX_VALUE / 8
        || h.shortListsSize() < 0 || h.shortListsSize() > Integer.MAX_VALUE / 4) {
      throw new ShortlistException(f + ": implausible header: wordToOffsetSize " + Long.toUnsignedString(h.wordToOffsetSize())
          + ", shortListsSize " + Long.toUnsignedString(h.shortListsSize()));
    }
    long expected = HEADER_BYTES + h.wordToOffsetSize() * 8 + h.shortListsSize() * 4;
    if (expected != bytes.length) {
      throw new ShortlistException(f + ": " + (bytes.length < expected ? "truncated" : "trailing bytes in")
          + " binary shortlist: the header implies " + expected + " bytes, the file has " + bytes.length);
    }
    long actual = checksum(bytes);
    if (actual != h.checksum()) {
      throw new ShortlistException(f + ": checksum mismatch (header 0x" + Long.toHexString(h.checksum()) + ", content 0x"
          + Long.toHexString(actual) + "): the binary shortlist is corrupt");
    }
    return h;
  }

  /** Marian's util::hashMem over the u64 words after magic and checksum. */
  static long checksum(byte[] blob) {
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int words = (blob.length - 16) / 8;
    long seed = 0;
    b.position(16);
    for (int i = 0; i < words; i++) {
      long v = b.getLong();
      seed ^= v + 0x9e3779b9L + (seed << 6) + (seed >>> 2);
    }
    return seed;
  }

  /** The Marian binary form of this shortlist (its first and best in the header). */
  public byte[] toBinary() {
    int w = offsets.length;
    int n = ids.length;
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + w * 8 + n * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(MAGIC).putLong(0).putLong(first).putLong(best).putLong(w).putLong(n);
    for (int o : offsets) {
      b.putLong(o);
    }
    for (int id : ids) {
      b.putInt(id);
    }
    byte[] blob = b.array();
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putLong(8, checksum(blob));
    return blob;
  }

  /** Writes {@link #toBinary()} to {@code out} atomically (temporary file in the same folder, then rename). */
  public void writeBinary(Path out) throws IOException {
    Path abs = out.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, toBinary());
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------- selection

  /**
   * Marks one sentence's candidates in {@code mask} (length ≥ the target vocabulary): ids below
   * {@code first}, every listed translation of each source id, and with a joint vocabulary the source
   * ids themselves. Source ids outside the table contribute nothing.
   */
  public void mark(int[] sourceIds, int length, boolean[] mask) {
    int firstEnd = Math.min(first, targetVocab);
    for (int i = 0; i < firstEnd; i++) {
      mask[i] = true;
    }
    for (int k = 0; k < length; k++) {
      int s = sourceIds[k];
      if (s < 0 || s + 1 >= offsets.length) {
        continue;
      }
      if (shared && s < targetVocab) {
        mask[s] = true;
      }
      for (int j = offsets[s]; j < offsets[s + 1]; j++) {
        mask[ids[j]] = true;
      }
    }
  }

  /** The translations listed for a source id, ascending (empty when none). */
  public int[] translations(int sourceId) {
    if (sourceId < 0 || sourceId + 1 >= offsets.length) {
      return new int[0];
    }
    return Arrays.copyOfRange(ids, offsets[sourceId], offsets[sourceId + 1]);
  }

  public Path file() {
    return file;
  }

  public Format format() {
    return format;
  }

  public int first() {
    return first;
  }

  public int best() {
    return best;
  }

  /** The probability threshold applied to a text table; NaN for a binary file. */
  public double threshold() {
    return threshold;
  }

  /** Whether source ids are candidates themselves (joint vocabulary). */
  public boolean shared() {
    return shared;
  }

  public int targetVocabSize() {
    return targetVocab;
  }

  /** Source ids covered by the offset table. */
  public int sourceVocabSize() {
    return offsets.length - 1;
  }

  /** Number of (source, target) pairs kept. */
  public int pairs() {
    return ids.length;
  }

  /** Source ids with at least one translation. */
  public int sourcesWithTranslations() {
    int c = 0;
    for (int s = 0; s + 1 < offsets.length; s++) {
      if (offsets[s + 1] > offsets[s]) {
        c++;
      }
    }
    return c;
  }

  /** Text: the lines read (entries); binary: the ids stored. */
  public long entriesRead() {
    return entriesRead;
  }

  /** Text entries left out because a piece is not in the vocabulary. */
  public long skippedEntries() {
    return skipped;
  }

  /** One line for logs and {@code jnmt info}. */
  public String describe() {
    String params = format == Format.TEXT
        ? String.format(Locale.ROOT, "first %d, best %d, threshold %s", first, best, Float.toString((float) threshold))
        : String.format(Locale.ROOT, "first %d, best %d (header)", first, best);
    String read = format == Format.TEXT
        ? String.format(Locale.ROOT, "; %,d entries read, %,d not in the vocabulary", entriesRead, skipped)
        : "";
    return String.format(Locale.ROOT, "%s (%s), %s; %,d pairs kept for %,d of %,d source ids%s%s",
        file, format == Format.TEXT ? "text lexical table" : "Marian binary shortlist", params, ids.length,
        sourcesWithTranslations(), offsets.length - 1, shared ? ", joint vocabulary (source ids kept)" : "", read);
  }
}
