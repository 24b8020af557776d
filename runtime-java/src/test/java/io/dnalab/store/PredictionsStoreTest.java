package io.dnalab.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.result.Predictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code predictions} table: round trip, one transaction with the run, export, size. */
class PredictionsStoreTest {

  /** {@code n} examples of {@code classes} classes with random probabilities (seeded). */
  static Predictions random(String split, int n, int classes, long seed, boolean withIds) {
    Random random = new Random(seed);
    int[] labels = new int[n];
    float[][] probabilities = new float[n][classes];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(classes);
      float sum = 0;
      for (int k = 0; k < classes; k++) {
        probabilities[i][k] = random.nextFloat();
        sum += probabilities[i][k];
      }
      for (int k = 0; k < classes; k++) {
        probabilities[i][k] /= sum;
      }
    }
    Predictions indexed = Predictions.of(split, labels, probabilities);
    if (!withIds) {
      return indexed;
    }
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add("chr20:" + (1000 + 300 * i) + "-" + (1300 + 300 * i) + "(+)");
    }
    return new Predictions(split, ids, labels, indexed.predicted(), probabilities);
  }

  @Test
  void predictionsReadBackExactlyAndOnlyWithTheirRun(@TempDir Path dir) {
    Predictions dev = random("dev", 50, 3, 1, true);
    Predictions test = random("test", 70, 3, 2, false);
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      assertThat(store.record(StoreFixtures.run("k1", "exp", 1), List.of(dev, test))).isTrue();
      List<Predictions> back = store.predictions("k1");
      assertThat(back).hasSize(2);
      assertThat(back.get(0).sameAs(dev)).as("dev: ids, labels, classes, float32 probabilities")
          .isTrue();
      assertThat(back.get(1).sameAs(test)).as("test: ids are the indices").isTrue();
      assertThat(back.get(1).sequenceIds().get(69)).isEqualTo("69");
      // A second writer of the same run keeps the first row and its predictions.
      assertThat(store.record(StoreFixtures.run("k1", "exp", 1),
          List.of(random("test", 5, 2, 9, false)))).isFalse();
      assertThat(store.predictions("k1").get(1).sameAs(test)).isTrue();
      assertThat(store.predictions("nokey")).isEmpty();
    }
  }

  @Test
  void theRunAndItsPredictionsAreOneTransaction(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results.sqlite");
    ResultStore.open(file).close();
    // Plain SQLite makes the 31st prediction fail, as a full disk or a kill would mid-write.
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement()) {
      statement.execute("CREATE TRIGGER fail BEFORE INSERT ON predictions WHEN NEW.example = 30 "
          + "BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    }
    try (ResultStore store = ResultStore.open(file)) {
      assertThatThrownBy(() -> store.record(StoreFixtures.run("k1", "exp", 1),
          List.of(random("test", 40, 2, 1, false))))
          .isInstanceOf(ResultStore.StoreException.class).hasMessageContaining("disk full");
      assertThat(store.find("k1")).as("no row without its predictions").isEmpty();
      assertThat(store.predictions("k1")).isEmpty();
      assertThat(store.count()).isZero();
    }
  }

  @Test
  void plainSqlReadsProbabilitiesWithJsonExtract(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results.sqlite");
    Predictions test = Predictions.of("test", new int[] {1, 0},
        new float[][] {{0.25f, 0.75f}, {0.9f, 0.1f}});
    try (ResultStore store = ResultStore.open(file)) {
      store.record(StoreFixtures.run("k1", "exp", 1), List.of(test));
    }
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = sql.createStatement();
        ResultSet rows = statement.executeQuery("SELECT example, sequence_id, label, predicted, "
            + "json_extract(probabilities, '$[1]') AS p1 FROM run_predictions WHERE stage_key = "
            + "'k1' AND split = 'test' ORDER BY example")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt("predicted")).isEqualTo(1);
      assertThat(rows.getString("sequence_id")).as("no ids: not stored").isNull();
      assertThat(rows.getDouble("p1")).isEqualTo(0.75);
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt("label")).isZero();
      assertThat(rows.getDouble("p1")).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-7));
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void csvExportHasOneRowPerExamplePerRunPerSplit(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("predictions.csv");
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      store.record(StoreFixtures.run("k1", "exp", 1),
          List.of(random("dev", 4, 2, 1, false), random("test", 6, 2, 2, false)));
      store.record(StoreFixtures.run("k2", "exp", 2),
          List.of(random("dev", 3, 3, 3, true), random("test", 5, 3, 4, true)));
      store.record(StoreFixtures.run("k3", "exp", 3)); // recorded without predictions
      assertThat(store.exportPredictionsCsv(store.all(), null, csv)).isEqualTo(4 + 6 + 3 + 5);
      List<String> lines = Files.readAllLines(csv);
      assertThat(lines.get(0)).isEqualTo("stage_key,experiment,task,tokenizer,model,pretrain,"
          + "seed,degenerate,split,example,sequence_id,label,predicted,p_0,p_1,p_2");
      assertThat(lines).hasSize(1 + 18);
      // k1 is binary: its p_2 cell is empty; probabilities are the stored float32 values.
      Predictions k1test = store.predictions("k1").get(1);
      assertThat(lines.get(1 + 4)).isEqualTo("k1,exp,builtin/quickstart,nucleotide,"
          + "convnova-d16-k5,none,1,,test,0,0," + k1test.labels()[0] + ","
          + k1test.predicted()[0] + "," + k1test.probabilities()[0][0] + ","
          + k1test.probabilities()[0][1] + ",");
      // An id with a comma-free text stays as it is.
      assertThat(lines.get(1 + 10)).startsWith("k2,exp,").contains(",dev,0,chr20:1000-1300(+),");

      assertThat(store.exportPredictionsCsv(store.all(), "test", csv)).isEqualTo(6 + 5);
      assertThat(Files.readAllLines(csv)).hasSize(1 + 11).allMatch(
          line -> line.startsWith("stage_key") || line.contains(",test,"));
    }
  }

  /**
   * What predictions cost on disk: one GUE-sized binary test split (25,000 examples, the largest
   * GUE test split is about that) plus a 1,000-example dev split, as a real run records them.
   */
  @Test
  void aGueSizedRunsPredictionsCostAboutFiftyBytesAnExample(@TempDir Path dir) {
    Path file = dir.resolve("results.sqlite");
    long before;
    try (ResultStore store = ResultStore.open(file)) {
      store.record(StoreFixtures.run("0".repeat(64), "exp", 0));
    }
    before = sizeOf(file);
    int runs = 3;
    int examples = 25_000 + 1_000;
    long start = System.nanoTime();
    try (ResultStore store = ResultStore.open(file)) {
      for (int r = 1; r <= runs; r++) {
        String key = String.format(Locale.ROOT, "%064x", r);
        store.record(StoreFixtures.run(key, "exp", r),
            List.of(random("dev", 1_000, 2, r, false), random("test", 25_000, 2, 100 + r, false)));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double bytesPerExample = (double) (sizeOf(file) - before) / (runs * examples);
    System.out.printf(Locale.ROOT, "predictions: %d runs x %,d examples: %.1f bytes/example, "
        + "%.2f MB per run, %.2f s to record%n", runs, examples, bytesPerExample,
        bytesPerExample * examples / 1e6, seconds);
    // run id 1 + split 4 + probabilities ~25 + the rest ~10 bytes, plus B-tree overhead
    assertThat(bytesPerExample).isBetween(30.0, 80.0);
  }

  /** The file and its write-ahead log: what the store occupies on disk. */
  private static long sizeOf(Path file) {
    long size = 0;
    for (String suffix : List.of("", "-wal")) {
      Path part = Path.of(file + suffix);
      try {
        size += Files.exists(part) ? Files.size(part) : 0;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return size;
  }
}
