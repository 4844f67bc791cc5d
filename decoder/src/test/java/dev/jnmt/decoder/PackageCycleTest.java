package dev.jnmt.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The decoder's packages depend on each other in one direction only: no package uses a package that uses
 * it back, directly or through others. Read from the compiled main classes (every class name in each
 * constant pool: references, descriptors, signatures), so imports, fully qualified names and inherited
 * types all count.
 */
class PackageCycleTest {

  private static final Pattern NAME = Pattern.compile("dev/jnmt/decoder/((?:[a-z0-9_]+/)*)[A-Z][A-Za-z0-9_$]*");

  /** package → (used package → one class that uses it, for the message). */
  static Map<String, Map<String, String>> graph() throws IOException, URISyntaxException {
    Path classes = Path.of(Translator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path root = classes.resolve("dev/jnmt/decoder");
    assertTrue(Files.isDirectory(root), root + " holds the decoder's classes");
    Map<String, Map<String, String>> graph = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    for (Path f : files) {
      String cls = classes.relativize(f).toString().replace('\\', '/');
      String from = packageOf(cls);
      Map<String, String> uses = graph.computeIfAbsent(from, k -> new TreeMap<>());
      ClassModel model = ClassFile.of().parse(Files.readAllBytes(f));
      for (PoolEntry e : model.constantPool()) {
        if (e instanceof Utf8Entry u) {
          Matcher m = NAME.matcher(u.stringValue());
          while (m.find()) {
            String to = packageOf(m.group());
            if (!to.equals(from)) {
              uses.putIfAbsent(to, cls);
            }
          }
        }
      }
    }
    return graph;
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return internalName.substring(0, slash).replace('/', '.');
  }

  @Test
  void noPackageUsesAPackageThatUsesItBack() throws Exception {
    Map<String, Map<String, String>> graph = graph();
    assertTrue(graph.size() >= 8, "decoder packages found: " + graph.keySet());
    List<String> cycles = new ArrayList<>();
    for (String start : graph.keySet()) {
      // A path from a used package back to start closes a cycle through start.
      for (String next : graph.get(start).keySet()) {
        List<String> back = path(graph, next, start);
        if (back != null) {
          StringBuilder sb = new StringBuilder(start);
          String prev = start;
          for (String p : back) {
            sb.append(" -> ").append(p).append(" (").append(graph.get(prev).get(p)).append(')');
            prev = p;
          }
          cycles.add(sb.toString());
        }
      }
    }
    assertEquals(List.of(), cycles, "package cycles");
  }

  @Test
  void theBasePackagesUseNothingAboveThem() throws Exception {
    Map<String, Map<String, String>> graph = graph();
    assertEquals(Set.of(), graph.get("dev.jnmt.decoder.base").keySet(), "base uses no other decoder package");
    for (String low : List.of("base", "config", "ops", "text", "io", "model", "search")) {
      Set<String> uses = new TreeSet<>(graph.getOrDefault("dev.jnmt.decoder." + low, Map.of()).keySet());
      assertTrue(
          !uses.contains("dev.jnmt.decoder") && !uses.contains("dev.jnmt.decoder.convert"),
          low + " must not use the Translator or the converter: " + graph.get("dev.jnmt.decoder." + low));
    }
  }

  /** The packages on a path from → ... → to (to included), or null when there is none. */
  private static List<String> path(Map<String, Map<String, String>> graph, String from, String to) {
    Map<String, String> parent = new TreeMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(from));
    parent.put(from, null);
    while (!queue.isEmpty()) {
      String p = queue.poll();
      if (p.equals(to)) {
        List<String> out = new ArrayList<>();
        for (String x = p; x != null; x = parent.get(x)) {
          out.add(0, x);
        }
        return out;
      }
      for (String n : graph.getOrDefault(p, Map.of()).keySet()) {
        if (!parent.containsKey(n)) {
          parent.put(n, p);
          queue.add(n);
        }
      }
    }
    return null;
  }
}
