package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.model.GemmPrecision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that translates a string column into a new column with a jnmt model:
 * one translator per executor, each partition translated in blocks sorted by length into
 * mini-batches. Null input gives null output, blank input an empty string. Usable in a {@code
 * Pipeline}; see the README for an example.
 */
public final class JnmtTranslator extends Transformer {

  private static final long serialVersionUID = 1L;

  private final String uid;

  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> model;
  private final BooleanParam modelShipped;
  private final IntParam beamSize;
  private final Param<String> precision;
  private final IntParam miniBatch;
  private final IntParam maxLength;

  public JnmtTranslator() {
    this(Identifiable$.MODULE$.randomUID("jnmtTranslator"));
  }

  public JnmtTranslator(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "the source-text column");
    outputCol = new Param<>(this, "outputCol", "the translation column to add");
    model = new Param<>(this, "model", "model directory every node can read, or the name of one shipped with addFile");
    modelShipped = new BooleanParam(this, "modelShipped", "whether model names a directory shipped with SparkContext.addFile");
    beamSize = new IntParam(this, "beamSize", "beam size (0: the model's num_beams)", ParamValidators.gtEq(0));
    precision = new Param<>(this, "precision", "dense-layer arithmetic: float32, int16, int8, int8shift (empty: the checkpoint's own)");
    miniBatch = new IntParam(this, "miniBatch", "sentences decoded together", ParamValidators.gtEq(1));
    maxLength = new IntParam(this, "maxLength", "maximum output length in tokens (0: the model's)", ParamValidators.gtEq(0));
    setDefault(outputCol, "translation");
    setDefault(modelShipped, false);
    setDefault(beamSize, 0);
    setDefault(precision, "");
    setDefault(miniBatch, TranslationOptions.DEFAULT_MINI_BATCH);
    setDefault(maxLength, 0);
  }

  /** The inputCol parameter (Spark ML finds parameters through such accessors). */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** The outputCol parameter (Spark ML finds parameters through such accessors). */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** The model parameter (Spark ML finds parameters through such accessors). */
  public Param<String> model() {
    return model;
  }

  /** The modelShipped parameter (Spark ML finds parameters through such accessors). */
  public BooleanParam modelShipped() {
    return modelShipped;
  }

  /** The beamSize parameter (Spark ML finds parameters through such accessors). */
  public IntParam beamSize() {
    return beamSize;
  }

  /** The precision parameter (Spark ML finds parameters through such accessors). */
  public Param<String> precision() {
    return precision;
  }

  /** The miniBatch parameter (Spark ML finds parameters through such accessors). */
  public IntParam miniBatch() {
    return miniBatch;
  }

  /** The maxLength parameter (Spark ML finds parameters through such accessors). */
  public IntParam maxLength() {
    return maxLength;
  }

  public JnmtTranslator setInputCol(String v) {
    set(inputCol, v);
    return this;
  }

  public JnmtTranslator setOutputCol(String v) {
    set(outputCol, v);
    return this;
  }

  public JnmtTranslator setModel(String v) {
    set(model, v);
    return this;
  }

  public JnmtTranslator setModelShipped(boolean v) {
    set(modelShipped, v);
    return this;
  }

  public JnmtTranslator setBeamSize(int v) {
    set(beamSize, v);
    return this;
  }

  public JnmtTranslator setPrecision(String v) {
    GemmPrecision.fromName(v);
    set(precision, v);
    return this;
  }

  public JnmtTranslator setMiniBatch(int v) {
    set(miniBatch, v);
    return this;
  }

  public JnmtTranslator setMaxLength(int v) {
    set(maxLength, v);
    return this;
  }

  /** The settings of the tasks. */
  TranslateSettings settings() {
    String m = $(model);
    boolean shipped = (Boolean) $(modelShipped);
    int beam = (Integer) $(beamSize);
    int max = (Integer) $(maxLength);
    return new TranslateSettings(
        shipped ? ModelRef.shipped(m) : ModelRef.shared(m),
        $(precision).isEmpty() ? null : GemmPrecision.fromName($(precision)),
        beam == 0 ? null : beam,
        max == 0 ? null : max,
        (Integer) $(miniBatch));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema());
    int in = dataset.schema().fieldIndex($(inputCol));
    TranslateSettings s = settings();
    String column = $(inputCol);
    MapPartitionsFunction<Row, Row> f = rows -> translateRows(rows, in, column, s);
    return dataset.toDF().mapPartitions(f, Encoders.row(schema));
  }

  private static Iterator<Row> translateRows(
      Iterator<Row> rows, int in, String column, TranslateSettings s) {
    PartitionTranslator.Source<Row> source =
        new PartitionTranslator.Source<>() {
          @Override
          public String text(Row r) {
            return r.isNullAt(in) ? "" : r.getString(in);
          }

          @Override
          public long offset(Row r) {
            return -1;
          }
        };
    // Rows are buffered a block at a time so that each output row pairs with its input row.
    int block = s.blockLines();
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private Iterator<String> translated;
      private int next;

      @Override
      public boolean hasNext() {
        if (next < pending.size()) {
          return true;
        }
        pending.clear();
        next = 0;
        while (pending.size() < block && rows.hasNext()) {
          pending.add(rows.next());
        }
        if (pending.isEmpty()) {
          return false;
        }
        translated = new PartitionTranslator<>(pending.iterator(), source, "column " + column, s);
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Row r = pending.get(next++);
        String t = translated.next();
        Object[] values = Arrays.copyOf(toArray(r), r.length() + 1);
        values[r.length()] = r.isNullAt(in) ? null : t;
        return RowFactory.create(values);
      }
    };
  }

  private static Object[] toArray(Row r) {
    Object[] v = new Object[r.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    return v;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(model)) {
      throw new IllegalArgumentException("JnmtTranslator: set the model (setModel)");
    }
    if (!isDefined(inputCol)) {
      throw new IllegalArgumentException("JnmtTranslator: set the input column (setInputCol)");
    }
    String in = $(inputCol);
    String out = $(outputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("JnmtTranslator: input column '" + in + "' does not exist");
    }
    if (!(schema.apply(in).dataType() instanceof StringType)) {
      throw new IllegalArgumentException(
          "JnmtTranslator: input column '" + in + "' is " + schema.apply(in).dataType().simpleString()
              + ", not string");
    }
    if (Arrays.asList(schema.fieldNames()).contains(out)) {
      throw new IllegalArgumentException("JnmtTranslator: output column '" + out + "' already exists");
    }
    return schema.add(new StructField(out, DataTypes.StringType, true, org.apache.spark.sql.types.Metadata.empty()));
  }

  @Override
  public JnmtTranslator copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public String uid() {
    return uid;
  }
}
