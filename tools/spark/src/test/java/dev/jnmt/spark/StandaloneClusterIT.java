package dev.jnmt.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and two Workers as separate JVMs run from a
 * Spark home whose {@code jars/} is the Maven-resolved Spark classpath; the job is submitted with
 * {@code SparkSubmit} (its own driver JVM), one executor is killed by its pid while the job runs, and
 * the job must still finish with output identical to {@code jnmt translate}. Every process started is
 * stopped (executors included) after the test, on failure, and at JVM exit.
 */
class StandaloneClusterIT {

  private static final Path HOME = Path.of(System.getProperty("jnmt.spark.home", "target/spark-home"));
  private static final Path JAR = Path.of(System.getProperty("jnmt.spark.jar", "target/jnmt-spark.jar"));
  private static final List<String> FLAGS =
      Arrays.stream(System.getProperty("jnmt.spark.jvmArgs", "").trim().split("\\s+"))
          .filter(s -> !s.isEmpty())
          .toList();
  private static final Pattern LOADED = Pattern.compile("jnmt-spark: model .* loaded .* by pid (\\d+), load #(\\d+)");

  private final List<Process> started = Collections.synchronizedList(new ArrayList<>());
  private final Thread reaper = new Thread(this::stopAll, "jnmt-spark-it-reaper");
  private Path work;

  @AfterEach
  void stop() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // shutting down already
    }
  }

  /** Stops executors (children of the workers) first, then every process this test started. */
  private void stopAll() {
    List<Process> all;
    synchronized (started) {
      all = new ArrayList<>(started);
    }
    Collections.reverse(all);
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Process start(String name, List<String> mainAndArgs, Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FLAGS);
    cmd.add("-cp");
    cmd.add(HOME.resolve("jars").toAbsolutePath() + "/*");
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("SPARK_HOME", HOME.toAbsolutePath().toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_NO_DAEMONIZE", "1");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private String log(String name) {
    try {
      Path p = work.resolve(name + ".log");
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void await(String what, Duration limit, java.util.function.BooleanSupplier ok, Process... alive)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!ok.getAsBoolean()) {
      for (Process p : alive) {
        if (!p.isAlive()) {
          throw new AssertionError(what + ": a process exited early (logs in " + work + ")");
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + " (logs in " + work + ")");
      }
      Thread.sleep(200);
    }
  }

  /** Every executor's stderr under the workers' work directories. */
  private List<Path> executorLogs() {
    try (Stream<Path> s = Files.walk(work.resolve("workers"))) {
      return s.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void aJobSurvivesALostExecutorAndMatchesTheCli() throws Exception {
    work = Path.of("target/it-cluster").toAbsolutePath();
    if (Files.exists(work)) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(work.resolve("workers"));
    Runtime.getRuntime().addShutdownHook(reaper);
    assertTrue(Files.isDirectory(HOME.resolve("jars")), HOME + "/jars (built by the package phase)");
    assertTrue(Files.isRegularFile(JAR), JAR + " (built by the package phase)");

    // Input: test2016.en as two files, in a directory of its own.
    List<String> en = Files.readAllLines(LocalSpark.TEST_EN);
    Path in = Files.createDirectories(work.resolve("in"));
    Files.write(in.resolve("first.en"), en.subList(0, 600));
    Files.write(in.resolve("second.en"), en.subList(600, 1000));
    Path out = work.resolve("out/translations");

    int port = freePort();
    String url = "spark://127.0.0.1:" + port;
    Process master =
        start(
            "master",
            List.of("-Xmx256m", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(freePort())),
            Map.of());
    await("the master", Duration.ofSeconds(90), () -> log("master").contains("I have been elected leader"), master);
    List<Process> workers = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      Path dir = Files.createDirectories(work.resolve("workers/w" + w));
      workers.add(
          start(
              "worker" + w,
              List.of("-Xmx256m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                  "--memory", "1200m", "--work-dir", dir.toString(), "--webui-port", Integer.toString(freePort()),
                  url),
              Map.of()));
    }
    for (int w = 1; w <= 2; w++) {
      String name = "worker" + w;
      await(name, Duration.ofSeconds(90), () -> log(name).contains("Successfully registered with master"),
          workers.get(w - 1));
    }

    List<String> submit = new ArrayList<>(List.of(
        "-Xmx768m",
        "org.apache.spark.deploy.SparkSubmit",
        "--master", url,
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.ui.showConsoleProgress=false",
        "--conf", "spark.executor.memory=1g",
        "--conf", "spark.executor.cores=1",
        "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", FLAGS),
        "--class", "dev.jnmt.spark.SparkMain",
        JAR.toAbsolutePath().toString(),
        "translate", "--model", LocalSpark.MODEL.toString(), "--ship-model",
        "--input", in.toString(), "--output", out.toString(),
        "--beam-size", "1", "--max-split-bytes", "6000"));
    Process job = start("submit", submit, Map.of());

    // Wait until an executor has loaded the model and is translating, then kill it by its pid.
    long[] victim = new long[1];
    await("an executor loading the model", Duration.ofMinutes(3), () -> {
      for (Path p : executorLogs()) {
        Matcher m = LOADED.matcher(read(p));
        if (m.find()) {
          victim[0] = Long.parseLong(m.group(1));
          return true;
        }
      }
      return false;
    }, job);
    Thread.sleep(1500); // let it take a few tasks
    assertTrue(job.isAlive(), "the job finished before the executor could be killed (logs in " + work + ")");
    ProcessHandle executor = ProcessHandle.of(victim[0]).orElseThrow(() -> new AssertionError("no pid " + victim[0]));
    assertTrue(executor.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"),
        "pid " + victim[0] + " is an executor");
    executor.destroyForcibly();

    assertTrue(job.waitFor(6, TimeUnit.MINUTES), "the job did not finish (logs in " + work + ")");
    String jobLog = log("submit");
    assertEquals(0, job.exitValue(), jobLog);
    assertTrue(jobLog.contains("jnmt-spark translate: 1000 lines from 2 file(s)"), jobLog);
    // Spark noticed the lost executor and retried its tasks elsewhere.
    assertTrue(jobLog.contains("Lost executor") || jobLog.contains("lost executor") || jobLog.contains("Executor lost")
        || jobLog.contains("ExecutorLostFailure"), "the driver saw the executor die");

    // Output identical to jnmt translate (greedy) on the same files.
    for (String name : List.of("first.en", "second.en")) {
      Path cli = work.resolve(name + ".cli.de");
      LocalSpark.cli("translate", "--quiet", "-m", LocalSpark.MODEL.toString(), "-i", in.resolve(name).toString(),
          "-o", cli.toString(), "--beam-size", "1", "--cpu-threads", "2");
      assertArrayEquals(Files.readAllBytes(cli), LocalSpark.output(out, name), name);
    }
    // Each executor JVM loaded the model once (the killed one included); at least three executors ran.
    List<Path> logs = executorLogs();
    int loaded = 0;
    for (Path p : logs) {
      Matcher m = LOADED.matcher(read(p));
      int n = 0;
      while (m.find()) {
        n++;
        assertEquals("1", m.group(2), p + ": a second load in one executor");
      }
      assertTrue(n <= 1, p + " loaded the model " + n + " times");
      loaded += n;
    }
    assertTrue(logs.size() >= 3, "a replacement executor was started: " + logs);
    assertTrue(loaded >= 2, "executors loaded the model: " + loaded);
    // No temp files in the input or output, nothing left next to the output.
    assertEquals(List.of("first.en", "second.en"), LocalSpark.tree(in));
    for (String f : LocalSpark.tree(out)) {
      assertTrue(f.matches("(first|second)\\.en/(\\.?part-\\d{5}(\\.crc)?|\\.?_SUCCESS(\\.crc)?)"), "unexpected " + f);
    }
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertEquals(List.of(out), s.toList());
    }
  }
}
