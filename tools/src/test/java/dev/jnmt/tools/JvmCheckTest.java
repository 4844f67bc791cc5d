package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.model.GemmPrecision;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JvmCheckTest {

  @Test
  void warnsOnlyForEightBitPrecisionsWithoutTheFlag() {
    Optional<String> defaultLevel = Optional.of("111");
    assertTrue(JvmCheck.warning(GemmPrecision.INT8, defaultLevel).orElseThrow().contains("-XX:TypeProfileLevel=222"));
    assertTrue(JvmCheck.warning(GemmPrecision.INT8_SHIFT, defaultLevel).isPresent());
    assertEquals(Optional.empty(), JvmCheck.warning(GemmPrecision.FLOAT32, defaultLevel));
    assertEquals(Optional.empty(), JvmCheck.warning(GemmPrecision.INT16, defaultLevel));
    assertEquals(Optional.empty(), JvmCheck.warning(GemmPrecision.INT8, Optional.of("222")));
    assertEquals(Optional.empty(), JvmCheck.warning(GemmPrecision.INT8, Optional.empty()));
  }

  @Test
  void theBuildRunsTestsWithTheFlag() {
    // Surefire's argLine (jnmt.jvmArgs in the parent pom) is the same flag set as the launcher's.
    assertEquals(Optional.of(JvmCheck.TYPE_PROFILE_LEVEL), JvmCheck.typeProfileLevel());
  }
}
