package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PyTest {

  @Test
  void fixedRoundsTheBinaryValueHalfToEven() {
    assertEquals("45.2", Py.fixed(45.25, 1)); // exact tie -> even
    assertEquals("0.1", Py.fixed(0.15, 1)); // 0.1499999... in binary
    assertEquals("2.67", Py.fixed(2.675, 2));
    assertEquals("0.2", Py.fixed(0.25, 1));
    assertEquals("36", Py.fixed(36.4, 0));
    assertEquals("100.0", Py.fixed(100.00000000000004, 1));
    assertEquals("0.000", Py.fixed(0, 3));
  }

  @Test
  void floatReprIsPythons() {
    assertEquals("36.4", Py.floatRepr(36.4));
    assertEquals("100.0", Py.floatRepr(100.0));
    assertEquals("0.0", Py.floatRepr(0.0));
    assertEquals("0.0001", Py.floatRepr(0.0001));
    assertEquals("1e-05", Py.floatRepr(0.00001));
    assertEquals("1.5e-07", Py.floatRepr(1.5e-7));
    assertEquals("1e+16", Py.floatRepr(1e16));
    assertEquals("1234567890123456.0", Py.floatRepr(1234567890123456.0));
    assertEquals("0.1", Py.floatRepr(0.1));
    assertEquals("12.35", Py.floatRepr(Double.parseDouble(Py.fixed(12.345678, 2))));
  }

  @Test
  void whitespaceIsPythons() {
    for (int cp : new int[] {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
      assertTrue(Py.isSpace(cp), Integer.toHexString(cp));
    }
    for (int cp : new int[] {0x200B, 0xFEFF, 0x180E, 0x08, 0x7F, 'a'}) {
      assertFalse(Py.isSpace(cp), Integer.toHexString(cp));
    }
    assertArrayEquals(new String[] {"a", "b\u200bc", "d"}, Py.split("\u3000a\u00a0 b\u200bc\u2028d\u0085"));
    assertEquals(" x", Py.rstrip(" x\u00a0\r\u3000"));
    assertEquals("x", Py.strip("\u2007 x \u202f"));
    assertEquals("abc", Py.removeSpaces(" a\tb\u00a0c "));
  }

  @Test
  void lowerIsFullUnicodeLowercasing() {
    assertEquals("i\u0307stanbul", Py.lower("İstanbul"));
    assertEquals("σοφος", Py.lower("ΣΟΦΟΣ"));
    assertEquals("straße", Py.lower("STRAßE"));
  }

  @Test
  void jsonStrings() {
    assertEquals("\"a\\\"b\\\\c\\n\"", Py.jsonString("a\"b\\c\n", false));
    assertEquals("\"é\"", Py.jsonString("é", false));
    assertEquals("\"\\u00e9\\ud83d\\ude00\"", Py.jsonString("é😀", true));
  }
}
