package dev.jnmt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Pipeline example, compiled and run, and the Transformer's row handling. */
class PipelineExampleTest {

  @TempDir Path tmp;

  /** The README example, verbatim between the markers. */
  static List<Row> readmeExample(SparkSession spark, String captions, String modelDir) {
    // README-BEGIN
    Dataset<Row> en = spark.read().text(captions).withColumnRenamed("value", "en");
    JnmtTranslator translate =
        new JnmtTranslator()
            .setInputCol("en")
            .setOutputCol("de")
            .setModel(modelDir) // a directory every executor can read
            .setBeamSize(4)
            .setPrecision("float32")
            .setMiniBatch(32);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {translate});
    PipelineModel model = pipeline.fit(en);
    List<Row> rows = model.transform(en).select("en", "de").collectAsList();
    // README-END
    return rows;
  }

  @Test
  void theReadmeExampleTranslatesAsTheTranslator() throws Exception {
    SparkSession spark = LocalSpark.session();
    List<String> en = Files.readAllLines(LocalSpark.TEST_EN).subList(300, 360);
    Path captions = tmp.resolve("captions.en");
    Files.write(captions, en);
    List<Row> rows = readmeExample(spark, captions.toString(), LocalSpark.MODEL.toString());
    Translator t = ExecutorTranslators.get(ModelRef.shared(LocalSpark.MODEL.toString()), GemmPrecision.FLOAT32);
    List<String> expected = t.translate(en, t.defaultOptions().withBeamSize(4));
    assertEquals(en.size(), rows.size());
    for (int i = 0; i < en.size(); i++) {
      assertEquals(en.get(i), rows.get(i).getString(0));
      assertEquals(expected.get(i), rows.get(i).getString(1), "row " + i);
    }
    assertEquals(1, ExecutorTranslators.loads());
  }

  @Test
  void otherColumnsAndNullsAreKept() {
    SparkSession spark = LocalSpark.session();
    List<Row> in = new ArrayList<>();
    in.add(RowFactory.create(1, "A dog runs."));
    in.add(RowFactory.create(2, null));
    in.add(RowFactory.create(3, "   "));
    in.add(RowFactory.create(4, "Two children play in the snow."));
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType);
    Dataset<Row> df = spark.createDataFrame(in, schema).repartition(2);
    List<Row> out =
        new JnmtTranslator()
            .setInputCol("text")
            .setModel(LocalSpark.MODEL.toString())
            .setBeamSize(1)
            .transform(df)
            .orderBy("id")
            .collectAsList();
    Translator t = ExecutorTranslators.get(ModelRef.shared(LocalSpark.MODEL.toString()), GemmPrecision.FLOAT32);
    List<String> greedy =
        t.translate(List.of("A dog runs.", "Two children play in the snow."), t.defaultOptions().withBeamSize(1));
    assertEquals(List.of("id", "text", "translation"), List.of(out.getFirst().schema().fieldNames()));
    assertEquals(greedy.get(0), out.get(0).getString(2));
    assertNull(out.get(1).get(2));
    assertEquals("", out.get(2).getString(2));
    assertEquals(greedy.get(1), out.get(3).getString(2));
  }
}
