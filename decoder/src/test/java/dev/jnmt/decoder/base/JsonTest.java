package dev.jnmt.decoder.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder's JSON mapper against Jackson (a test dependency only) as the reference: the same documents
 * are accepted with the same compact text, the same ones refused, with line, column and byte offset.
 */
class JsonTest {

  private static final ObjectMapper JACKSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final List<String> VALID =
      List.of(
          "{}",
          "[]",
          " {\"a\" : 1 , \"b\":[true,false,null,-0,12345678901234,3.5,-2e-3,1E+2]}\n",
          "{\"s\":\"tab\\t nl\\n quote\\\" back\\\\ slash\\/ \\u00e9\\u0001 \\ud83d\\ude00 ü 漢\"}",
          "{\"big\":123456789012345678901234567890,\"neg\":-9223372036854775808}",
          "[[[[1]]],{\"x\":{\"y\":{}}}]",
          "\"just a string\"",
          "0",
          "{\"d_model\": 512, \"dropout\": 0.1, \"scale\": 1e-05}");

  private static final List<String> INVALID =
      List.of(
          "{\"a\":1,}",
          "[1,]",
          "{\"a\":1,\"a\":2}",
          "{\"a\":1} x",
          "{'a':1}",
          "{\"a\":01}",
          "{\"a\":NaN}",
          "{\"a\":.5}",
          "{\"a\":1.}",
          "{\"a\":\"x\ty\"}",
          "{\"a\":\"\\x\"}",
          "{\"a\":\"\\u12g4\"}",
          "{\"a\" 1}",
          "[tru]",
          "{\"a\":1 /* c */}",
          "{\"a\":\"open");

  @Test
  void acceptsWhatJacksonAcceptsWithTheSameCompactText() throws Exception {
    for (String s : VALID) {
      Json j = Json.parse(s.getBytes(StandardCharsets.UTF_8));
      assertEquals(JACKSON.readTree(s).toString(), j.toString(), s);
      assertEquals(j.toString(), Json.parse(j.toString()).toString(), s);
      assertEquals(j.toString(), Json.parse(j.toPrettyString()).toString(), s);
    }
  }

  @Test
  void refusesWhatJacksonRefuses() {
    for (String s : INVALID) {
      assertThrows(Exception.class, () -> JACKSON.readTree(s), s);
      assertThrows(Json.ParseException.class, () -> Json.parse(s.getBytes(StandardCharsets.UTF_8)), s);
    }
  }

  @Test
  void emptyInputIsAnError() {
    assertThrows(Json.ParseException.class, () -> Json.parse(" \n"));
  }

  @Test
  void errorsSayWhatAndWhere() {
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2}"));
    assertEquals("Duplicate field 'a'", e.reason());
    assertEquals(3, e.line());
    assertEquals(3, e.column());
    assertEquals(14, e.byteOffset());
    e = assertThrows(Json.ParseException.class, () -> Json.parse("{\"é\":1,}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.reason().startsWith("Unexpected character ('}' (code 125))"), e.reason());
    assertEquals(8, e.byteOffset());
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
    e = assertThrows(Json.ParseException.class, () -> Json.parse(bad));
    assertEquals("Invalid UTF-8 byte 0xFF", e.reason());
    assertEquals(6, e.byteOffset());
  }

  @Test
  void accessorsFollowTheTreeModel() throws Exception {
    Json j = Json.parse("\uFEFF{\"i\":7,\"l\":4294967296,\"d\":2.5,\"s\":\"x\",\"b\":true,\"n\":null,\"a\":[1,2]}");
    assertTrue(j.get("i").isIntegralNumber() && j.get("i").canConvertToInt());
    assertEquals(7, j.get("i").intValue());
    assertFalse(j.get("l").canConvertToInt());
    assertEquals(4294967296L, j.get("l").asLong());
    assertFalse(j.get("d").isIntegralNumber());
    assertEquals(2.5, j.get("d").doubleValue());
    assertEquals("x", j.get("s").textValue());
    assertTrue(j.get("b").booleanValue());
    assertTrue(j.get("n").isNull() && j.has("n"));
    assertEquals(null, j.get("missing"));
    assertEquals(2, j.get("a").size());
    assertEquals(2, j.get("a").get(1).intValue());
    assertEquals(7, j.properties().size());
  }
}
