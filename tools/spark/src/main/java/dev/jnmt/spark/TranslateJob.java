package dev.jnmt.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The batch translation job: every input file's lines are translated in parallel (one task per split,
 * one translator per executor), then each file's translations are written, in order, through Spark's
 * output committer into a staging directory that is renamed to the output only when every file is
 * complete; a failure deletes the staging directory, so the output either is complete or does not
 * exist.
 *
 * <p>Output layout: {@code OUTPUT/NAME/part-NNNNN} (concatenated in order: one line per input line),
 * or with {@code merge} a single file {@code OUTPUT/NAME} per input file {@code NAME}.
 */
public final class TranslateJob {

  /**
   * One run.
   *
   * @param inputs files, directories or globs on any Hadoop file system
   * @param output a directory that must not exist yet
   * @param merge one file per input instead of a directory of parts
   * @param maxSplitBytes the largest split of an input file (0: sized so that there are about four
   *     tasks per core)
   */
  public record Request(
      List<String> inputs, String output, TranslateSettings settings, boolean merge, long maxSplitBytes) {}

  /** What a run did. */
  public record Result(int files, long lines, int tasks, double seconds) {}

  private TranslateJob() {}

  public static Result run(JavaSparkContext sc, Request req) {
    long t0 = System.nanoTime();
    Configuration conf = sc.hadoopConfiguration();
    List<FileStatus> files = InputFiles.list(conf, req.inputs());
    Set<String> names = new HashSet<>();
    for (FileStatus f : files) {
      if (!names.add(f.getPath().getName())) {
        throw new JobError(
            "input " + f.getPath() + ": two inputs are named " + f.getPath().getName()
                + " (outputs are named after the input files)");
      }
    }
    Path out = new Path(req.output());
    FileSystem fs;
    Path staging;
    try {
      fs = out.getFileSystem(conf);
      out = fs.makeQualified(out);
      if (fs.exists(out)) {
        throw new JobError("output " + req.output() + " already exists; refusing to overwrite it");
      }
      Path parent = out.getParent();
      if (parent != null && !fs.exists(parent)) {
        fs.mkdirs(parent);
      }
      staging = new Path(parent, "." + out.getName() + ".jnmt-staging-" + sc.sc().applicationId());
    } catch (IOException e) {
      throw new JobError("output " + req.output() + ": " + ExecutorTranslators.oneLine(e), e);
    }
    long total = 0;
    for (FileStatus f : files) {
      total += f.getLen();
    }
    long split = req.maxSplitBytes() > 0
        ? req.maxSplitBytes()
        : Math.clamp(total / Math.max(1, sc.defaultParallelism() * 4L), 2 << 10, 64 << 20);

    List<JavaRDD<String>> perFile = new ArrayList<>();
    List<Integer> firstPartition = new ArrayList<>();
    int partitions = 0;
    TranslateSettings settings = req.settings();
    for (FileStatus f : files) {
      String name = f.getPath().toString();
      JavaRDD<String> t =
          InputFiles.lines(sc, conf, f, split)
              .mapPartitions(
                  it -> new PartitionTranslator<>(it, HADOOP_LINE, name, settings), true);
      perFile.add(t);
      firstPartition.add(partitions);
      partitions += t.getNumPartitions();
    }
    firstPartition.add(partitions);
    @SuppressWarnings("unchecked") // JavaSparkContext.union takes a generic varargs array
    JavaRDD<String> all =
        perFile.size() == 1 ? perFile.getFirst() : sc.union(perFile.toArray(JavaRDD[]::new));
    // Translate everything in one stage (all cores busy whatever the file sizes), keep the result,
    // then write each file from it; a lost executor's blocks are recomputed from the lineage.
    all.persist(StorageLevel.MEMORY_AND_DISK());
    boolean done = false;
    try {
      long lines = all.count();
      for (int i = 0; i < files.size(); i++) {
        int from = firstPartition.get(i);
        int to = firstPartition.get(i + 1);
        JavaRDD<String> part =
            JavaRDD.fromRDD(
                PartitionPruningRDD.create(all.rdd(), new PartitionRange(from, to)),
                scala.reflect.ClassTag$.MODULE$.apply(String.class));
        String name = files.get(i).getPath().getName();
        if (req.merge()) {
          Path parts = new Path(staging, name + ".parts");
          part.coalesce(1).saveAsTextFile(parts.toString());
          if (!fs.rename(new Path(parts, "part-00000"), new Path(staging, name))) {
            throw new JobError("output " + req.output() + ": cannot move the merged " + name + " into place");
          }
          fs.delete(parts, true);
          if (fs instanceof ChecksumFileSystem c) {
            // the merged file is one plain file: no checksum sidecar next to it
            fs.delete(c.getChecksumFile(new Path(staging, name)), false);
          }
        } else {
          part.saveAsTextFile(new Path(staging, name).toString());
        }
      }
      if (!fs.rename(staging, out)) {
        throw new JobError("output " + req.output() + ": cannot rename " + staging + " to it");
      }
      done = true;
      return new Result(files.size(), lines, partitions, (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      throw new JobError("output " + req.output() + ": " + ExecutorTranslators.oneLine(e), e);
    } finally {
      all.unpersist(false);
      if (!done) {
        try {
          fs.delete(staging, true);
        } catch (IOException e) {
          System.err.println("jnmt-spark: cannot delete " + staging + ": " + e.getMessage());
        }
      }
    }
  }

  /** Hadoop's (offset, bytes) records as text with the CLI's rules. */
  static final PartitionTranslator.Source<Tuple2<LongWritable, Text>> HADOOP_LINE =
      new PartitionTranslator.Source<>() {
        @Override
        public String text(Tuple2<LongWritable, Text> r) {
          return TranslateLines.decode(r._2().getBytes(), r._2().getLength());
        }

        @Override
        public long offset(Tuple2<LongWritable, Text> r) {
          return r._1().get();
        }
      };

  /** Keeps partitions [from, to). */
  private static final class PartitionRange extends scala.runtime.AbstractFunction1<Object, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;

    PartitionRange(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public Object apply(Object index) {
      int i = (Integer) index;
      return i >= from && i < to;
    }
  }
}
