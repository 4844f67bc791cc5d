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
import java.util.ArrayList;
import java.util.List;

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
 * error that names the source, the line and the byte offset.
 */
public final class TextLines {
  private TextLines() {}

  /** The lines of a file, only LF ending a line. */
  public static List<String> readFile(Path file, Charset charset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
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
   * Splits UTF-8 bytes into decoded lines without decoding the whole text first. LF and CR bytes
   * never occur inside a multi-byte UTF-8 sequence, so splitting bytes is splitting characters.
   */
  private static List<String> splitUtf8(byte[] bytes, boolean universal, String name)
      throws CharacterCodingException {
    List<String> lines = new ArrayList<>();
    int n = bytes.length;
    int start = 0;
    int i = 0;
    while (i < n) {
      byte b = bytes[i];
      if (b == '\n' || (universal && b == '\r')) {
        lines.add(utf8Line(bytes, start, i, name));
        i += (b == '\r' && i + 1 < n && bytes[i + 1] == '\n') ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < n) {
      lines.add(utf8Line(bytes, start, n, name));
    }
    return lines;
  }

  private static String utf8Line(byte[] bytes, int from, int to, String name)
      throws CharacterCodingException {
    String s = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    // the String constructor replaces malformed input with U+FFFD; only then (U+FFFD may also be
    // genuine) does the strict decoder look at the whole input to report the first error
    if (s.indexOf('\uFFFD') >= 0) {
      decode(bytes, StandardCharsets.UTF_8, name, true);
    }
    return s;
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
    return decode(bytes, charset, name, false);
  }

  private static String decode(byte[] bytes, Charset charset, String name, boolean strictOnly)
      throws CharacterCodingException {
    if (!strictOnly && charset.equals(StandardCharsets.UTF_8)) {
      // The String constructor is much faster than a CharsetDecoder but replaces malformed input
      // with U+FFFD; only when one appears (it may also be genuine) is the strict decoder run.
      String fast = new String(bytes, StandardCharsets.UTF_8);
      if (fast.indexOf('\uFFFD') < 0) {
        return fast;
      }
    }
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
      int pos = in.position();
      int line = 1;
      for (int i = 0; i < pos; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new DecodeException(
          String.format(
              "%s: line %d: cannot decode byte 0x%02x at offset %d as %s",
              name, line, bytes[pos] & 0xFF, pos, charset.name()));
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
