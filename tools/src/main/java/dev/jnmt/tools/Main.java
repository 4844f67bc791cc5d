package dev.jnmt.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jnmt} command line. Exit codes: 0 success, 2 bad usage, 1 runtime error (one line on
 * stderr; the stack trace only with {@code --debug} or {@code -Djnmt.debug=true}).
 */
@Command(
    name = "jnmt",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Neural machine translation on the JVM.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BleuCommand.class,
      ConvertCommand.class,
      InfoCommand.class,
      TranslateCommand.class,
    })
public final class Main implements java.util.concurrent.Callable<Integer> {

  /** Exit code after a closed pipe (EPIPE): what a shell reports for a program killed by SIGPIPE. */
  static final int BROKEN_PIPE = 141;

  /** No subcommand: usage on stderr, exit 2. */
  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return 2;
  }

  public static void main(String[] args) {
    StdStreams.useDescriptors = true;
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (used by tests). */
  public static int execute(String... args) {
    return execute(commandLine(), args);
  }

  /** Runs {@code cl}; an OutOfMemoryError becomes one line with a hint and exit code 1. */
  static int execute(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      PrintWriter err = cl.getErr();
      err.println("jnmt " + commandName(cl) + ": out of memory (" + e.getMessage() + "): raise the JVM's limit with"
          + " JNMT_JAVA_OPTS=-Xmx<size> or use a smaller --mini-batch / --beam-size");
      err.flush();
      return 1;
    }
  }

  private static String commandName(CommandLine cl) {
    CommandLine.ParseResult pr = cl.getParseResult();
    while (pr != null && pr.subcommand() != null) {
      pr = pr.subcommand();
    }
    return pr == null ? "jnmt" : pr.commandSpec().name();
  }

  /** Whether --debug was given to the command that failed or any command above it. */
  private static boolean debugRequested(CommandLine.ParseResult pr) {
    for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // data on stdout through a stream that reports write errors (PrintStream would hide them)
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(StdStreams.stdout(), java.nio.charset.StandardCharsets.UTF_8), true));
    boolean debug = Boolean.getBoolean("jnmt.debug");
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (debug || debugRequested(parseResult)) {
            ex.printStackTrace(err);
          }
          for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof StdStreams.StdoutException s && s.brokenPipe()) {
              return BROKEN_PIPE; // the reader is gone: nothing to report, as coreutils on SIGPIPE
            }
          }
          if (ex.getCause() instanceof OutOfMemoryError) {
            err.println("jnmt " + cmd.getCommandName() + ": out of memory: raise the JVM's limit with"
                + " JNMT_JAVA_OPTS=-Xmx<size> or use a smaller --mini-batch / --beam-size");
            err.flush();
            return 1;
          }
          err.println("jnmt " + cmd.getCommandName() + ": " + CliErrors.message(ex));
          err.flush();
          return 1;
        });
    return cl;
  }

  /** Reads the Maven-filtered version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"jnmt " + p.getProperty("version", "unknown")};
    }
  }
}
