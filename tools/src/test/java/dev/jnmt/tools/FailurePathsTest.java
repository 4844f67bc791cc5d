package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Failure paths of the CLI with real file descriptors: each case runs {@code Main} in its own JVM under
 * bash (so that stdout can be /dev/full, a closed pipe, a FIFO, a file under {@code ulimit -f}, and
 * stdin can be closed), bounded in time, inside a temporary directory that JUnit removes.
 */
class FailurePathsTest {

  static final Path MODEL = TranslateCommandTest.MODEL.toAbsolutePath().normalize();
  static final long TIMEOUT_S = 120;

  @TempDir Path tmp;

  record Proc(int code, String out, String err) {}

  /** Runs a bash script in {@code tmp} where {@code jnmt ARGS} runs the CLI of this build in a new JVM. */
  Proc sh(String script) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String prelude = "jnmt() { \"$JNMT_JAVA\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
        + " -XX:+UseSerialGC -XX:-UsePerfData -cp \"$JNMT_CP\" dev.jnmt.tools.Main \"$@\"; }\n"
        // for background jobs: the job's subshell becomes the JVM, so $! is the JVM's PID
        + "jnmt_exec() { exec \"$JNMT_JAVA\" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
        + " -XX:+UseSerialGC -XX:-UsePerfData -cp \"$JNMT_CP\" dev.jnmt.tools.Main \"$@\"; }\n"
        + "M='" + MODEL + "'\n";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", prelude + script).directory(tmp.toFile());
    pb.environment().put("JNMT_JAVA", java);
    pb.environment().put("JNMT_CP", System.getProperty("java.class.path"));
    pb.environment().remove(StdStreams.STDIN_CLOSED_ENV);
    Path out = tmp.resolve(".proc.out");
    Path err = tmp.resolve(".proc.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try {
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out after " + TIMEOUT_S + " s: " + script);
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String e = Files.readString(err, StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
        .reduce("", (a, b) -> a + b + "\n");
    Proc r = new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), e);
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  private Path input(int lines) throws IOException {
    Path in = tmp.resolve("in.txt");
    List<String> l = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      l.add("a dog runs " + i);
    }
    Files.write(in, l, StandardCharsets.UTF_8);
    return in;
  }

  private static void oneLineNoTrace(Proc r) {
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".jnmt-") || n.endsWith(".tmp")).toList();
    }
  }

  @Test
  void writeErrorsOnStdoutExitOneNamingTheReason() throws Exception {
    input(50);
    Proc t = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 > /dev/full");
    assertEquals(1, t.code(), t.err());
    assertEquals("jnmt translate: cannot write to standard output: No space left on device\n", t.err());
    Proc i = sh("jnmt info \"$M\" > /dev/full");
    assertEquals(1, i.code(), i.err());
    assertEquals("jnmt info: cannot write to standard output: No space left on device\n", i.err());
    Proc b = sh("jnmt bleu in.txt -i in.txt > /dev/full");
    assertEquals(1, b.code(), b.err());
    assertEquals("jnmt bleu: cannot write to standard output: No space left on device\n", b.err());
  }

  @Test
  void fileSizeLimitOnStdoutAndOnOutputFile() throws Exception {
    input(1000);
    // RLIMIT_FSIZE of 4 KiB: the JVM ignores SIGXFSZ, so write() fails with EFBIG
    Proc s = sh("ulimit -f 4; jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 > out.txt");
    assertEquals(1, s.code(), s.err());
    assertEquals("jnmt translate: cannot write to standard output: File too large\n", s.err());
    Files.writeString(tmp.resolve("old.txt"), "previous content\n");
    Proc o = sh("ulimit -f 4; jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 -o old.txt");
    assertEquals(1, o.code(), o.err());
    assertEquals("jnmt translate: old.txt (output): File too large\n", o.err());
    assertEquals("previous content\n", Files.readString(tmp.resolve("old.txt")), "the old file is kept");
    assertEquals(List.of(), leftovers());
  }

  @Test
  void brokenPipeStopsQuietly() throws Exception {
    input(200_000); // minutes of work if it did not stop at the first failed write
    Proc r = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --cpu-threads 1 --mini-batch 8 | head -n 1 > first.txt;"
        + " echo ${PIPESTATUS[0]}");
    assertEquals("141\n", r.out());
    assertEquals("", r.err());
    assertEquals(1, Files.readAllLines(tmp.resolve("first.txt")).size());
  }

  @Test
  void closedStdinIsAnError() throws Exception {
    Proc r = sh("jnmt translate -m \"$M\" -b 1 <&-");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("jnmt translate: standard input is not open"), r.err());
    oneLineNoTrace(r);
    input(3);
    Proc ok = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet <&-");
    assertEquals(0, ok.code(), ok.err());
    assertEquals(3, ok.out().lines().count());
  }

  @Test
  void specialOutputsAreWrittenThroughNeverReplaced() throws Exception {
    input(3);
    Proc f = sh("mkfifo ff; cat ff > from-fifo.txt & jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o ff;"
        + " rc=$?; wait; test -p ff && echo still-a-fifo; exit $rc");
    assertEquals(0, f.code(), f.err());
    assertEquals("still-a-fifo\n", f.out());
    assertEquals(3, Files.readAllLines(tmp.resolve("from-fifo.txt")).size());
    Proc d = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o /dev/null && test -c /dev/null && echo ok");
    assertEquals("ok\n", d.out(), d.err());
    Proc p = sh("ln -s /proc/self/fd/1 lnk; jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o lnk | cat;"
        + " test \"${PIPESTATUS[0]}\" = 0 && test -L lnk && echo still-a-link");
    assertEquals(0, p.code(), p.err());
    assertEquals(4, p.out().lines().count(), "three translations through the link, then the check: " + p.out() + p.err());
    assertTrue(p.out().endsWith("still-a-link\n"));
    // a symlink to a regular file: the file is replaced atomically, the link stays
    Files.writeString(tmp.resolve("real.txt"), "old\n");
    Files.createSymbolicLink(tmp.resolve("link.txt"), Path.of("real.txt"));
    Proc l = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o link.txt");
    assertEquals(0, l.code(), l.err());
    assertTrue(Files.isSymbolicLink(tmp.resolve("link.txt")));
    assertEquals(3, Files.readAllLines(tmp.resolve("real.txt")).size());
    assertEquals(List.of(), leftovers());
  }

  @Test
  void outputThatIsStandardInputIsRefused() throws Exception {
    Path in = input(3);
    byte[] before = Files.readAllBytes(in);
    Proc r = sh("jnmt translate -m \"$M\" -b 1 -o in.txt < in.txt");
    assertEquals(2, r.code(), r.err());
    assertEquals("jnmt translate: --output in.txt is the file on standard input; refusing to overwrite it\n", r.err());
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(in));
  }

  @Test
  void sigtermAndSigintRemoveTheTemporaryFile() throws Exception {
    input(200_000);
    for (String signal : List.of("TERM", "INT")) {
      // set -m: without job control a background job starts with SIGINT ignored
      Proc r = sh("set -m; jnmt_exec translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o out.txt & pid=$!;"
          + " for i in $(seq 600); do ls -a | grep -q '^\\.out\\.txt\\.jnmt-' && break; sleep 0.1; done;"
          + " ls -a | grep -c '^\\.out\\.txt\\.jnmt-'; kill -" + signal + " $pid;"
          + " for i in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done;"
          + " kill -KILL $pid 2>/dev/null && echo still-running-after-30-s; wait $pid; echo rc=$?");
      assertTrue(r.out().startsWith("1\n"), "the temporary file existed before the signal: " + r.out());
      assertTrue(r.out().contains("rc=" + (128 + (signal.equals("TERM") ? 15 : 2))), r.out());
      assertEquals(List.of(), leftovers(), "SIG" + signal + " left a temporary file");
      assertFalse(Files.exists(tmp.resolve("out.txt")), "no partial output under the final name");
    }
  }

  @Test
  void staleTemporaryFilesOfKilledRunsAreRemoved() throws Exception {
    input(2);
    // PIDs are at most 2^22 on Linux: this one is not alive
    Path stale = tmp.resolve(".out.txt.jnmt-99999999-123.tmp");
    Files.writeString(stale, "partial");
    Proc r = sh("jnmt translate -m \"$M\" -i in.txt -b 1 --max-length 5 --quiet -o out.txt");
    assertEquals(0, r.code(), r.err());
    assertEquals("jnmt translate: removed " + stale + ", left by a run that was killed (PID 99999999)\n", r.err());
    assertEquals(List.of(), leftovers());
    assertEquals(2, Files.readAllLines(tmp.resolve("out.txt")).size());
  }

  @Test
  void pipesAreAcceptedAsInput() throws Exception {
    input(3);
    Proc r = sh("jnmt translate -m \"$M\" -b 1 --max-length 5 -i <(cat in.txt)");
    assertEquals(0, r.code(), r.err());
    assertEquals(3, r.out().lines().count());
    assertTrue(r.err().contains("jnmt translate: 3 sentences, 12 source words"), r.err());
  }

  @Test
  void outputChecksComeBeforeAnyWork() throws Exception {
    input(3);
    Files.createDirectory(tmp.resolve("dir"));
    // the model does not exist: the output is checked first, so the message is about -o
    Proc d = sh("jnmt translate -m /nonexistent-model -i in.txt -o dir");
    assertEquals(1, d.code(), d.err());
    assertEquals("jnmt translate: dir (output): is a directory\n", d.err());
    Proc m = sh("jnmt translate -m /nonexistent-model -i in.txt -o no/such/dir/out.txt");
    assertEquals(1, m.code(), m.err());
    assertTrue(m.err().startsWith("jnmt translate: no/such/dir/out.txt (output): the directory "), m.err());
    Proc n = sh("jnmt translate -m /nonexistent-model -i in.txt -b 2 --n-best 9");
    assertEquals(2, n.code(), n.err());
    assertEquals("jnmt translate: --n-best 9 exceeds the beam size 2\n", n.err());
    // without -b: the model's num_beams (4), read from its generation settings before the weights
    Proc g = sh("jnmt translate -m \"$M\" -i in.txt --n-best 9 -o out.txt");
    assertEquals(2, g.code(), g.err());
    assertEquals("jnmt translate: --n-best 9 exceeds the beam size 4\n", g.err());
    assertFalse(Files.exists(tmp.resolve("out.txt")));
    Proc b = sh("jnmt translate -m /nonexistent-model -i in.txt -b 100000");
    assertEquals(2, b.code(), b.err());
    assertEquals("jnmt translate: --beam-size 100000 is above the limit " + TranslateCommand.MAX_BEAM + "\n", b.err());
    Proc i = sh("jnmt translate -m /nonexistent-model -i .");
    assertEquals(1, i.code(), i.err());
    assertEquals("jnmt translate: . (input): is a directory\n", i.err());
  }

  @Test
  void noCommandIsAUsageErrorAndDebugPrintsTraces() throws Exception {
    Proc r = sh("jnmt");
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Usage: jnmt"), r.err());
    Proc d = sh("jnmt translate -m /nonexistent-model -i /nonexistent-input --debug");
    assertEquals(1, d.code());
    assertTrue(d.err().contains("\tat dev.jnmt.tools.TranslateCommand"), d.err());
    assertTrue(d.err().endsWith("jnmt translate: /nonexistent-input (input): No such file or directory\n"), d.err());
  }

  @CommandLine.Command(name = "jnmt", subcommands = Exhausting.class)
  static final class Top {}

  @CommandLine.Command(name = "translate")
  static final class Exhausting implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsOneLineWithAHint() {
    CommandLine cl = new CommandLine(new Top());
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(1, Main.execute(cl, "translate"));
    assertEquals("jnmt translate: out of memory (Java heap space): raise the JVM's limit with JNMT_JAVA_OPTS=-Xmx<size>"
        + " or use a smaller --mini-batch / --beam-size\n", err.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void specialFileNotFollowedWhenItIsADanglingLink() throws Exception {
    Files.createSymbolicLink(tmp.resolve("dangling"), Path.of("missing/target"));
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> TranslateOutput.check(tmp.resolve("dangling")));
    assertTrue(e.getMessage().contains("a symbolic link to a missing file"), e.getMessage());
    assertTrue(Files.isSymbolicLink(tmp.resolve("dangling")));
    assertFalse(Files.exists(tmp.resolve("missing"), LinkOption.NOFOLLOW_LINKS));
  }
}
