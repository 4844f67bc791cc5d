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
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.err);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (used by tests). */
  public static int execute(String... args) {
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    boolean debug = Boolean.getBoolean("jnmt.debug");
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (debug || parseResult.hasMatchedOption("--debug")) {
            ex.printStackTrace(err);
          }
          String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
          err.println("jnmt " + cmd.getCommandName() + ": " + msg.lines().findFirst().orElse(msg));
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
