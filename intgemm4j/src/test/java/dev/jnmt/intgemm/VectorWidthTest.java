package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The width a Surefire execution asks for is the width the kernels use. */
class VectorWidthTest {

  @Test
  void propertyIsHonoured() {
    String asked = System.getProperty(VectorWidth.PROPERTY);
    if (asked != null) {
      assertEquals(Integer.parseInt(asked), VectorWidth.current().bits());
    } else {
      assertEquals(VectorWidth.hardwareBits(), VectorWidth.current().bits(), "the widest width by default");
    }
    assertEquals(VectorWidth.current() != VectorWidth.SCALAR, Kernels.VECTOR);
    if (Kernels.VECTOR) {
      assertEquals(Math.min(VectorWidth.current().bits(), 256), VectorKernels8.BITS);
      assertEquals(VectorKernels8.BITS, VectorKernels16.BITS);
    }
    assertTrue(VectorWidth.current().bits() <= 512);
  }
}
