package dev.jnmt.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, as written: the {@code java} block that declares {@code public class
 * Example} is cut out of README.md, compiled against the decoder's classpath and run in its own JVM with
 * exactly the flags of the README's {@code java ...} command line, from the repository root (the example
 * uses relative model paths). Its output must be what the same calls give in this JVM.
 */
class ReadmeExampleTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theLibraryExampleCompilesAndRunsAsWritten() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String source = block(readme, "java", "public class Example");
    String command = block(readme, "sh", "-cp app.jar");
    List<String> flags = readmeFlags(command);
    assertTrue(flags.contains("--add-modules") && flags.contains("jdk.incubator.vector"), command);

    Path src = Files.createDirectories(tmp.resolve("src"));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(src.resolve("Example.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "no system Java compiler");
    String cp = System.getProperty("java.class.path");
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null, diagnostics, diagnostics, "--add-modules", "jdk.incubator.vector", "-cp", cp, "-d",
            classes.toString(), src.resolve("Example.java").toString());
    assertEquals(0, rc, "the README example does not compile:\n" + diagnostics);

    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(classes + File.pathSeparator + cp);
    cmd.add("Example");
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(false).start();
    p.getOutputStream().close();
    byte[] err = new byte[0];
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(done, "the README example did not finish within 120 s");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    err = p.getErrorStream().readAllBytes();
    assertEquals(0, p.exitValue(), "the README example failed:\n" + new String(err, StandardCharsets.UTF_8));
    String stderr = new String(err, StandardCharsets.UTF_8);
    assertTrue(!stderr.contains("intgemm4j: warning"), "with the README's flags intgemm4j must not warn:\n" + stderr);

    // The same calls in this JVM.
    Path model = ROOT.resolve("models/multi30k-en-de");
    try (Translator t = Translator.load(model, new Translator.Settings(2, GemmPrecision.FLOAT32))) {
      List<String> german = t.translate(List.of("Two dogs play in the snow.", "A man rides a bike."));
      List<String> fast =
          t.translate(List.of("A cat sleeps."), t.defaultOptions().withBeamSize(1).withMaxLength(128));
      List<Translation> nBest = t.translateDetailed(List.of("A cat sleeps."), t.defaultOptions().withNBest(4));
      var lex = t.loadShortlist(ShortlistSpec.of(model.resolve("lex.50.50.s2t.bin")));
      List<String> shortlisted = t.translate(List.of("A cat sleeps."), t.defaultOptions().withShortlist(lex));
      String expected = german + "\n" + fast + "\n" + nBest.get(0) + "\n" + shortlisted + "\n";
      assertEquals(expected, out);
    }
  }

  /** The fenced block of the given language whose text contains {@code marker}. */
  static String block(String markdown, String lang, String marker) {
    Matcher m = Pattern.compile("(?ms)^```" + lang + "\\n(.*?)^```").matcher(markdown);
    while (m.find()) {
      if (m.group(1).contains(marker)) {
        return m.group(1);
      }
    }
    throw new AssertionError("README.md has no ```" + lang + " block containing " + marker);
  }

  /** The JVM options of the README's {@code java ... -cp ... Example} line (continuations joined). */
  static List<String> readmeFlags(String command) {
    String line = command.replace("\\\n", " ").trim();
    List<String> words = new ArrayList<>(List.of(line.split("\\s+")));
    assertEquals("java", words.get(0), command);
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      if (words.get(i).equals("-cp")) {
        break;
      }
      flags.add(words.get(i));
    }
    return flags;
  }
}
