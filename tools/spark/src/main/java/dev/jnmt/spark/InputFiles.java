package dev.jnmt.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Text files on any Hadoop file system, read as lines split on '\n' only (Hadoop's default would also
 * split on a lone '\r'), each with its byte offset in the file. A directory stands for its visible
 * files (names not starting with '_' or '.'), a glob for its matches; files keep the order given.
 */
public final class InputFiles {

  private InputFiles() {}

  /** Resolves the inputs to files, failing with one line for a missing one. */
  public static List<FileStatus> list(Configuration conf, List<String> inputs) {
    Map<String, FileStatus> files = new LinkedHashMap<>();
    for (String in : inputs) {
      Path p = new Path(in);
      FileStatus[] matches;
      try {
        FileSystem fs = p.getFileSystem(conf);
        matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
          throw new JobError("input " + in + ": no such file or directory");
        }
        List<FileStatus> found = new ArrayList<>();
        for (FileStatus m : matches) {
          if (m.isDirectory()) {
            FileStatus[] children = fs.listStatus(m.getPath());
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus c : children) {
              String name = c.getPath().getName();
              if (c.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                found.add(c);
              }
            }
          } else {
            found.add(m);
          }
        }
        if (found.isEmpty()) {
          throw new JobError("input " + in + ": a directory without files");
        }
        for (FileStatus f : found) {
          files.putIfAbsent(f.getPath().toString(), f);
        }
      } catch (IOException e) {
        throw new JobError("input " + in + ": " + ExecutorTranslators.oneLine(e), e);
      }
    }
    return new ArrayList<>(files.values());
  }

  /**
   * The lines of one file as (byte offset, raw bytes without '\n'), in file order, in splits of at
   * most {@code maxSplitBytes}.
   */
  public static JavaPairRDD<LongWritable, Text> lines(
      JavaSparkContext sc, Configuration base, FileStatus file, long maxSplitBytes) {
    Configuration conf = new Configuration(base);
    conf.set("textinputformat.record.delimiter", "\n");
    conf.setLong(FileInputFormat.SPLIT_MAXSIZE, maxSplitBytes);
    conf.setLong(FileInputFormat.SPLIT_MINSIZE, 1);
    return sc.newAPIHadoopFile(
        file.getPath().toString(), TextInputFormat.class, LongWritable.class, Text.class, conf);
  }

  /** The 1-based number of the line that starts at {@code offset} (read on the driver, for errors). */
  public static long lineNumber(Configuration conf, String file, long offset) {
    Path p = new Path(file);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      byte[] buf = new byte[1 << 16];
      long pos = 0;
      long line = 1;
      while (pos < offset) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, offset - pos));
        if (n < 0) {
          break;
        }
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line++;
          }
        }
        pos += n;
      }
      return line;
    } catch (IOException e) {
      return -1;
    }
  }
}
