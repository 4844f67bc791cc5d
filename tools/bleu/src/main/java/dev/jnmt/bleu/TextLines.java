package dev.jnmt.bleu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Reads text the way sacrebleu's CLI does.
 *
 * <ul>
 *   <li>Files ({@code open(f, encoding=..., newline="\n")}): only LF ends a line. CR, U+2028,
 *       U+0085 and form feed stay inside the line (Java's {@code BufferedReader.readLine} would
 *       split on CR). A final LF does not start an empty line; an empty file has no lines. A BOM
 *       is not removed.
 *   <li>Standard input ({@code io.TextIOWrapper(sys.stdin.buffer)}, universal newlines): LF, CR and
 *       CRLF each end a line.
 * </ul>
 *
 * Decoding is strict, as Python's default {@code errors="strict"}: a malformed byte sequence is an
 * error that names the source, the line and the byte offset. The returned lists are read-only; for
 * UTF-8 they decode each line on access.
 */
public final class TextLines {
  private TextLines() {}

  /** The lines of a file, only LF ending a line. */
  public static List<String> readFile(Path file, Charset charset) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw e;
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IOException(file + ": Permission denied", e);
    } catch (IOException e) {
      // "Is a directory" and the like come without the path
      String m = e.getMessage();
      throw new IOException(m != null && m.contains(file.toString()) ? m : file + ": " + m, e);
    }
    if (charset.equals(StandardCharsets.UTF_8)) {
      return splitUtf8(bytes, false, file.toString());
    }
    return splitLf(decode(bytes, charset, file.toString()));
  }

  /** The lines of a stream read with universal newlines (LF, CR, CRLF). */
  public static List<String> readUniversal(InputStream in, Charset charset, String name)
      throws IOException {
    byte[] bytes = in.readAllBytes();
    if (charset.equals(StandardCharsets.UTF_8)) {
      return splitUtf8(bytes, true, name);
    }
    return splitUniversal(decode(bytes, charset, name));
  }

  /**
   * Validates UTF-8 bytes strictly and returns a lazy list of their lines. LF and CR bytes never
   * occur inside a multi-byte UTF-8 sequence, so splitting bytes is splitting characters. Lines are
   * decoded on each {@code get}, so a million-line corpus is two arrays, not a million long-lived
   * strings for the garbage collector to copy.
   */
  private static List<String> splitUtf8(byte[] bytes, boolean universal, String name)
      throws CharacterCodingException {
    int bad = firstMalformedUtf8(bytes);
    if (bad >= 0) {
      throw malformed(bytes, bad, StandardCharsets.UTF_8, name);
    }
    int n = bytes.length;
    int[] starts = new int[1024];
    int[] ends = new int[1024];
    int count = 0;
    int start = 0;
    int i = 0;
    while (i < n) {
      byte b = bytes[i];
      if (b == '\n' || (universal && b == '\r')) {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, 2 * count);
          ends = Arrays.copyOf(ends, 2 * count);
        }
        starts[count] = start;
        ends[count++] = i;
        i += (b == '\r' && i + 1 < n && bytes[i + 1] == '\n') ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < n) {
      if (count == starts.length) {
        starts = Arrays.copyOf(starts, count + 1);
        ends = Arrays.copyOf(ends, count + 1);
      }
      starts[count] = start;
      ends[count++] = n;
    }
    return new Utf8Lines(bytes, starts, ends, count);
  }

  /** Lines of validated UTF-8 bytes, decoded on access. Read-only. */
  private static final class Utf8Lines extends AbstractList<String> implements RandomAccess {
    private final byte[] bytes;
    private final int[] starts;
    private final int[] ends;
    private final int size;

    Utf8Lines(byte[] bytes, int[] starts, int[] ends, int size) {
      this.bytes = bytes;
      this.starts = starts;
      this.ends = ends;
      this.size = size;
    }

    @Override
    public String get(int index) {
      Objects.checkIndex(index, size);
      return new String(bytes, starts[index], ends[index] - starts[index], StandardCharsets.UTF_8);
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * The offset of the first byte that starts a malformed sequence under strict UTF-8 (RFC 3629, as
   * Python's decoder: no overlong forms, no surrogates, nothing above U+10FFFF), or -1.
   */
  static int firstMalformedUtf8(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xFF;
      if (c < 0xC2) {
        return i;
      }
      if (c < 0xE0) {
        if (i + 1 >= n || !cont(b[i + 1])) {
          return i;
        }
        i += 2;
      } else if (c < 0xF0) {
        int lo = c == 0xE0 ? 0xA0 : 0x80;
        int hi = c == 0xED ? 0x9F : 0xBF;
        if (i + 2 >= n || !in(b[i + 1], lo, hi) || !cont(b[i + 2])) {
          return i;
        }
        i += 3;
      } else if (c < 0xF5) {
        int lo = c == 0xF0 ? 0x90 : 0x80;
        int hi = c == 0xF4 ? 0x8F : 0xBF;
        if (i + 3 >= n || !in(b[i + 1], lo, hi) || !cont(b[i + 2]) || !cont(b[i + 3])) {
          return i;
        }
        i += 4;
      } else {
        return i;
      }
    }
    return -1;
  }

  private static boolean cont(byte x) {
    return (x & 0xC0) == 0x80;
  }

  private static boolean in(byte x, int lo, int hi) {
    int v = x & 0xFF;
    return v >= lo && v <= hi;
  }

  private static DecodeException malformed(byte[] bytes, int pos, Charset charset, String name) {
    int line = 1;
    for (int i = 0; i < pos; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return new DecodeException(
        String.format(
            "%s: line %d: cannot decode byte 0x%02x at offset %d as %s",
            name, line, bytes[pos] & 0xFF, pos, charset.name()));
  }

  /** Splits on LF only; a trailing LF does not add an empty line. */
  public static List<String> splitLf(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    while (start < n) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) {
        lines.add(text.substring(start));
        break;
      }
      lines.add(text.substring(start, nl));
      start = nl + 1;
    }
    return lines;
  }

  /** Splits on LF, CR and CRLF; a trailing terminator does not add an empty line. */
  public static List<String> splitUniversal(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(start, i));
        i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < n) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** Strict decoding; the error names the source, 1-based line and byte offset. */
  static String decode(byte[] bytes, Charset charset, String name)
      throws CharacterCodingException {
    CharsetDecoder dec =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 16);
    CoderResult r;
    while ((r = dec.decode(in, out, true)).isOverflow()) {
      CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    if (r.isError()) {
      throw malformed(bytes, in.position(), charset, name);
    }
    dec.flush(out);
    out.flip();
    return out.toString();
  }

  /** A decoding error whose message names the source, line and byte offset. */
  public static final class DecodeException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;

    private final String message;

    DecodeException(String message) {
      this.message = message;
    }

    @Override
    public String getMessage() {
      return message;
    }
  }
}
