// Over 400 lines: a complete strict JSON parser and writer with exact error positions, kept private to the
// decoder instead of a 2 MB library.
package dev.jnmt.decoder.base;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decoder's one JSON mapper, private to jnmt (no JSON library on the classpath): a strict RFC 8259
 * parser (duplicate keys, trailing content, comments, NaN, leading zeros, unescaped control characters
 * and invalid UTF-8 are errors) into a small tree, and a compact writer. Objects keep their key order.
 *
 * <p>A value is one of: object, array, string, number (integral numbers are kept exactly), boolean, null.
 * The accessors follow the familiar tree-model names ({@code get}, {@code isTextual}, {@code textValue},
 * {@code isIntegralNumber}, ...); {@link #toString()} is the compact JSON text.
 */
public final class Json implements Iterable<Json> {

  /** A syntax error: one-line message plus where it is (1-based line and column, 0-based byte offset). */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final long byteOffset;
    private final String reason;

    ParseException(String reason, int line, int column, long byteOffset) {
      super(reason + " (line " + line + ", column " + column + ")");
      this.reason = reason;
      this.line = line;
      this.column = column;
      this.byteOffset = byteOffset;
    }

    /** The problem, without the location. */
    public String reason() {
      return reason;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }

    /** Offset in the UTF-8 input. */
    public long byteOffset() {
      return byteOffset;
    }
  }

  private enum Kind {
    OBJECT,
    ARRAY,
    STRING,
    NUMBER,
    BOOLEAN,
    NULL
  }

  private static final Json NULL = new Json(Kind.NULL, null);
  private static final Json TRUE = new Json(Kind.BOOLEAN, Boolean.TRUE);
  private static final Json FALSE = new Json(Kind.BOOLEAN, Boolean.FALSE);

  private final Kind kind;
  /** LinkedHashMap, ArrayList, String, Long / BigInteger / Double, Boolean or null. */
  private final Object value;

  private Json(Kind kind, Object value) {
    this.kind = kind;
    this.value = value;
  }

  // ---------------------------------------------------------------------------------------------
  // Building

  /** A new, empty, mutable object. */
  public static Json object() {
    return new Json(Kind.OBJECT, new LinkedHashMap<String, Json>());
  }

  /** A new, empty, mutable array. */
  public static Json array() {
    return new Json(Kind.ARRAY, new ArrayList<Json>());
  }

  public static Json of(String s) {
    return s == null ? NULL : new Json(Kind.STRING, s);
  }

  public static Json of(long n) {
    return new Json(Kind.NUMBER, n);
  }

  public static Json of(double n) {
    if (!Double.isFinite(n)) {
      throw new IllegalArgumentException("JSON has no " + n);
    }
    return new Json(Kind.NUMBER, n);
  }

  public static Json of(boolean b) {
    return b ? TRUE : FALSE;
  }

  /** Sets {@code key} of this object; returns this. */
  public Json put(String key, Json v) {
    fields().put(key, v);
    return this;
  }

  public Json put(String key, String v) {
    return put(key, of(v));
  }

  public Json put(String key, long v) {
    return put(key, of(v));
  }

  public Json put(String key, double v) {
    return put(key, of(v));
  }

  public Json put(String key, boolean v) {
    return put(key, of(v));
  }

  /** Appends to this array; returns this. */
  public Json add(Json v) {
    elements().add(v);
    return this;
  }

  public Json add(String v) {
    return add(of(v));
  }

  public Json add(long v) {
    return add(of(v));
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  public boolean isObject() {
    return kind == Kind.OBJECT;
  }

  public boolean isArray() {
    return kind == Kind.ARRAY;
  }

  public boolean isTextual() {
    return kind == Kind.STRING;
  }

  public boolean isNumber() {
    return kind == Kind.NUMBER;
  }

  /** A number written without fraction or exponent. */
  public boolean isIntegralNumber() {
    return kind == Kind.NUMBER && !(value instanceof Double);
  }

  /** An integral number inside the int range. */
  public boolean canConvertToInt() {
    return value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
  }

  /** An integral number inside the long range. */
  public boolean canConvertToLong() {
    return value instanceof Long;
  }

  public boolean isBoolean() {
    return kind == Kind.BOOLEAN;
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  /** The string of a string value, else null. */
  public String textValue() {
    return kind == Kind.STRING ? (String) value : null;
  }

  /** A string's text, or the JSON text of any other scalar ("" for objects and arrays). */
  public String asText() {
    return switch (kind) {
      case STRING -> (String) value;
      case OBJECT, ARRAY -> "";
      default -> toString();
    };
  }

  /** A number's value cast to int (0 for non-numbers). */
  public int intValue() {
    return value instanceof Number n ? n.intValue() : 0;
  }

  /** A number's value cast to long (0 for non-numbers). */
  public long longValue() {
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** Same as {@link #longValue()}. */
  public long asLong() {
    return longValue();
  }

  /** A number's value as the nearest double (0 for non-numbers). */
  public double doubleValue() {
    return value instanceof Number n ? n.doubleValue() : 0;
  }

  public boolean booleanValue() {
    return kind == Kind.BOOLEAN && (Boolean) value;
  }

  /** An object's value at key, else null (also for non-objects). */
  public Json get(String key) {
    return kind == Kind.OBJECT ? fields().get(key) : null;
  }

  /** An array's element i, else null. */
  public Json get(int i) {
    return kind == Kind.ARRAY && i >= 0 && i < elements().size() ? elements().get(i) : null;
  }

  /** Whether an object has key (with any value, null included). */
  public boolean has(String key) {
    return kind == Kind.OBJECT && fields().containsKey(key);
  }

  /** Entries of an object, values of an array; 0 for scalars. */
  public int size() {
    return switch (kind) {
      case OBJECT -> fields().size();
      case ARRAY -> elements().size();
      default -> 0;
    };
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** An object's entries in order (empty for other values). */
  public Set<Map.Entry<String, Json>> properties() {
    return kind == Kind.OBJECT ? Collections.unmodifiableMap(fields()).entrySet() : Set.of();
  }

  /** An array's elements, or an object's values, in order (nothing for scalars). */
  @Override
  public Iterator<Json> iterator() {
    return switch (kind) {
      case ARRAY -> Collections.unmodifiableList(elements()).iterator();
      case OBJECT -> Collections.unmodifiableCollection(fields().values()).iterator();
      default -> Collections.emptyIterator();
    };
  }

  @SuppressWarnings("unchecked")
  private Map<String, Json> fields() {
    if (kind != Kind.OBJECT) {
      throw new IllegalStateException("not a JSON object");
    }
    return (Map<String, Json>) value;
  }

  @SuppressWarnings("unchecked")
  private List<Json> elements() {
    if (kind != Kind.ARRAY) {
      throw new IllegalStateException("not a JSON array");
    }
    return (List<Json>) value;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Compact JSON text (no spaces), strings escaped as RFC 8259 requires, non-ASCII kept. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    write(sb, -1, 0);
    return sb.toString();
  }

  /** JSON text indented by two spaces per level, {@code "key": value}, one entry per line. */
  public String toPrettyString() {
    StringBuilder sb = new StringBuilder();
    write(sb, 2, 0);
    return sb.toString();
  }

  private void write(StringBuilder sb, int indent, int level) {
    switch (kind) {
      case NULL -> sb.append("null");
      case BOOLEAN, NUMBER -> sb.append(value);
      case STRING -> quote(sb, (String) value);
      case OBJECT -> {
        Map<String, Json> m = fields();
        sb.append('{');
        int i = 0;
        for (Map.Entry<String, Json> e : m.entrySet()) {
          sb.append(i++ == 0 ? "" : ",");
          newline(sb, indent, level + 1);
          quote(sb, e.getKey());
          sb.append(indent < 0 ? ":" : ": ");
          e.getValue().write(sb, indent, level + 1);
        }
        if (!m.isEmpty()) {
          newline(sb, indent, level);
        }
        sb.append('}');
      }
      case ARRAY -> {
        List<Json> l = elements();
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          sb.append(i == 0 ? "" : indent < 0 ? "," : ", ");
          l.get(i).write(sb, indent, level + 1);
        }
        sb.append(']');
      }
    }
  }

  private static void newline(StringBuilder sb, int indent, int level) {
    if (indent >= 0) {
      sb.append('\n').append(" ".repeat(indent * level));
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---------------------------------------------------------------------------------------------
  // Parsing

  /** Parses UTF-8 JSON text (a leading byte-order mark is skipped). */
  public static Json parse(byte[] utf8) throws ParseException {
    String text = decode(utf8);
    return new Parser(text).document();
  }

  /** Parses JSON text. */
  public static Json parse(String text) throws ParseException {
    return new Parser(text).document();
  }

  private static String decode(byte[] utf8) throws ParseException {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(utf8);
    CharBuffer out = CharBuffer.allocate(utf8.length);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      String prefix = new String(utf8, 0, at, StandardCharsets.UTF_8);
      int line = 1;
      int col = 1;
      for (int i = 0; i < prefix.length(); i++) {
        if (prefix.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      throw new ParseException(
          String.format("Invalid UTF-8 byte 0x%02X", utf8[at] & 0xff), line, col, at);
    }
    try {
      CoderResult f = dec.flush(out);
      if (f.isError()) {
        f.throwException();
      }
    } catch (CharacterCodingException e) {
      throw new ParseException("Invalid UTF-8 at the end of the input", 1, 1, utf8.length);
    }
    out.flip();
    return out.toString();
  }

  /** Recursive descent over a string; nesting deeper than {@link #MAX_DEPTH} is an error. */
  private static final class Parser {
    private static final int MAX_DEPTH = 1000;
    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
      this.s = s;
      this.pos = !s.isEmpty() && s.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    Json document() throws ParseException {
      skipSpace();
      if (pos >= s.length()) {
        throw error("No content: the input is empty");
      }
      Json v = value();
      skipSpace();
      if (pos < s.length()) {
        throw error("Trailing content " + describe(pos) + " after the top-level value");
      }
      return v;
    }

    private Json value() throws ParseException {
      if (pos >= s.length()) {
        throw error("Unexpected end of input: a value was expected");
      }
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> new Json(Kind.STRING, string());
        case 't' -> literal("true", TRUE);
        case 'f' -> literal("false", FALSE);
        case 'n' -> literal("null", NULL);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("Unexpected character " + describe(pos) + ": a value was expected");
        }
      };
    }

    private Json object() throws ParseException {
      enter();
      pos++;
      Map<String, Json> m = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        depth--;
        return new Json(Kind.OBJECT, m);
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("Unexpected character " + describe(pos) + ": a field name in double quotes was expected");
        }
        int keyAt = pos;
        String key = string();
        if (m.containsKey(key)) {
          pos = keyAt;
          throw error("Duplicate field '" + key + "'");
        }
        skipSpace();
        if (peek() != ':') {
          throw error("Unexpected character " + describe(pos) + ": ':' was expected after a field name");
        }
        pos++;
        skipSpace();
        m.put(key, value());
        skipSpace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == '}') {
          pos++;
          depth--;
          return new Json(Kind.OBJECT, m);
        } else {
          throw error("Unexpected character " + describe(pos) + ": ',' or '}' was expected in an object");
        }
      }
    }

    private Json array() throws ParseException {
      enter();
      pos++;
      List<Json> l = new ArrayList<>();
      skipSpace();
      if (peek() == ']') {
        pos++;
        depth--;
        return new Json(Kind.ARRAY, l);
      }
      while (true) {
        skipSpace();
        l.add(value());
        skipSpace();
        char c = peek();
        if (c == ',') {
          pos++;
        } else if (c == ']') {
          pos++;
          depth--;
          return new Json(Kind.ARRAY, l);
        } else {
          throw error("Unexpected character " + describe(pos) + ": ',' or ']' was expected in an array");
        }
      }
    }

    private void enter() throws ParseException {
      if (++depth > MAX_DEPTH) {
        throw error("Nesting deeper than " + MAX_DEPTH + " levels");
      }
    }

    private String string() throws ParseException {
      pos++; // opening quote
      StringBuilder sb = null;
      int start = pos;
      while (true) {
        if (pos >= s.length()) {
          throw error("Unexpected end of input inside a string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
          pos++;
          return out;
        }
        if (c < 0x20) {
          throw error(String.format("Illegal unquoted control character (code %d) inside a string", (int) c));
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, start, pos);
          pos++;
          if (pos >= s.length()) {
            throw error("Unexpected end of input inside a string");
          }
          char e = s.charAt(pos);
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
              if (pos + 4 >= s.length()) {
                throw error("Unexpected end of input inside a \\u escape");
              }
              int v = 0;
              for (int i = 1; i <= 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0) {
                  pos += i;
                  throw error("Unexpected character " + describe(pos) + " in a \\u escape: a hex digit was expected");
                }
                v = v * 16 + d;
              }
              sb.append((char) v);
              pos += 4;
            }
            default -> throw error("Unrecognized character escape " + describe(pos));
          }
          pos++;
          start = pos;
        } else {
          pos++;
        }
      }
    }

    private Json number() throws ParseException {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
        if (Character.isDigit(peek())) {
          throw error("Leading zeros are not allowed in a number");
        }
      } else if (peek() >= '1' && peek() <= '9') {
        digits();
      } else {
        throw error("Unexpected character " + describe(pos) + ": a digit was expected in a number");
      }
      boolean integral = true;
      if (peek() == '.') {
        integral = false;
        pos++;
        if (!Character.isDigit(peek())) {
          throw error("Unexpected character " + describe(pos) + ": a digit was expected after the decimal point");
        }
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        integral = false;
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!Character.isDigit(peek())) {
          throw error("Unexpected character " + describe(pos) + ": a digit was expected in the exponent");
        }
        digits();
      }
      String text = s.substring(start, pos);
      if (integral) {
        BigInteger big = new BigInteger(text);
        return new Json(Kind.NUMBER, big.bitLength() < 64 ? (Object) big.longValue() : big);
      }
      double d = Double.parseDouble(text);
      if (!Double.isFinite(d)) {
        pos = start;
        throw error("Number " + text + " is outside the double range");
      }
      return new Json(Kind.NUMBER, d);
    }

    private void digits() {
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
    }

    private Json literal(String word, Json v) throws ParseException {
      if (!s.startsWith(word, pos)) {
        throw error("Unrecognized token starting " + describe(pos) + ": true, false or null was expected");
      }
      pos += word.length();
      return v;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          return;
        }
      }
    }

    private String describe(int at) {
      if (at >= s.length()) {
        return "(end of input)";
      }
      int c = s.codePointAt(at);
      return "('" + new String(Character.toChars(c)) + "' (code " + c + "))";
    }

    private ParseException error(String reason) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < pos && i < s.length(); i++) {
        if (s.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      long bytes = s.substring(0, Math.min(pos, s.length())).getBytes(StandardCharsets.UTF_8).length;
      return new ParseException(reason, line, col, bytes);
    }
  }
}
