package io.dnalab.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunColumnsTest {
  private static final RunResult RUN = new RunResult("exp", "gue/tf_0", "bpe-4096",
      "bert-l4-h256", "mlm-2000", 2, new MetricSet(100, 0.8, 0.6, 0.79, 0.88, 0.87, 0.45),
      new MetricSet(120, 0.75, 0.5, 0.74, Double.NaN, 0.81, 0.5), 12_345, 3.25, 3, 30, 2,
      "PyTorch 2.5.1 cpu(), 1 intra-op threads", 76_800, 1.5e12, 4L, null, "dnabert2-gue");

  @Test
  void everyResultFieldHasOneColumnAndReadsBackFromItsValues() {
    Map<String, Object> values = new HashMap<>();
    for (RunColumns.Column<RunResult> column : RunColumns.RESULT) {
      assertThat(values.put(column.name(), column.value().apply(RUN)))
          .as("column %s is defined once", column.name()).isNull();
    }
    // 6 cell + seed, pretraining seed, 2 × (6 metrics + examples), 8 cost and length columns,
    // the degenerate flag, the recipe.
    assertThat(RunColumns.RESULT).hasSize(6 + 1 + 2 * 7 + 8 + 1 + 1);
    assertThat(values.get("pretrain_seed")).isEqualTo(4L);
    assertThat(values.get("recipe")).isEqualTo("dnabert2-gue");
    assertThat(RunColumns.result(values::get)).isEqualTo(RUN);
    assertThat(values.get("degenerate")).as("not flagged: NULL").isNull();
    RunResult flagged = new RunResult("exp", "gue/tf_0", "bpe-4096", "bert-l4-h256", "none", 2,
        RUN.dev(), RUN.test(), 12_345, 3.25, 3, 30, 2, RUN.device(), 76_800, 1.5e12, null,
        "test predictions all class 0");
    Map<String, Object> flaggedValues = new HashMap<>();
    RunColumns.RESULT.forEach(c -> flaggedValues.put(c.name(), c.value().apply(flagged)));
    assertThat(flaggedValues.get("degenerate")).isEqualTo("test predictions all class 0");
    assertThat(RunColumns.result(flaggedValues::get)).isEqualTo(flagged);
    assertThat(flagged.isDegenerate()).isTrue();
    assertThat(flagged.inExperiment("other").degenerate()).isEqualTo(flagged.degenerate());
    // SQLite hands integers back as Integer when they fit: any Number reads.
    values.put("seed", 2);
    values.put("epochs", 3);
    values.put("pretrain_seed", 4);
    assertThat(RunColumns.result(values::get)).isEqualTo(RUN);
  }

  @Test
  void unmeasuredValuesAreNullAndReadBackAsUnmeasured() {
    RunResult uncounted = new RunResult("exp", "t", "nucleotide", "cnn", "none", 1, RUN.dev(),
        RUN.test(), 10, 1.0, 1, 1, 1, "cpu()");
    Map<String, Object> values = new HashMap<>();
    RunColumns.RESULT.forEach(c -> values.put(c.name(), c.value().apply(uncounted)));
    assertThat(values.get("tokens_seen")).isNull();
    assertThat(values.get("flops")).isNull();
    assertThat(values.get("test_auroc")).isNull();
    assertThat(values.containsKey("test_auroc")).isTrue();
    assertThat(values.get("pretrain_seed")).as("random initialisation").isNull();
    RunResult back = RunColumns.result(values::get);
    assertThat(back.tokensSeen()).isEqualTo(-1);
    assertThat(back.flops()).isNaN();
    assertThat(back.pretrainSeed()).isNull();
    assertThat(back.recipe()).isNull(); // rows of code before recipes name none
    assertThat(back).isEqualTo(uncounted);
  }

  @Test
  void csvHeaderAndRowComeFromTheSameColumns() {
    String header = RunResult.csvHeader();
    assertThat(header).startsWith("experiment,task,tokenizer,model,pretrain,seed,pretrain_seed,"
        + "dev_accuracy,"
        + "dev_mcc,dev_f1,dev_auroc,dev_auprc,dev_loss,dev_examples,test_accuracy,")
        .endsWith(",parameters,wall_seconds,epochs,steps,best_epoch,device,tokens_seen,flops,"
            + "degenerate,recipe");
    // Split on commas outside quotes: the device names its threads after a comma.
    List<String> cells = List.of(RUN.toCsvRow().split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
    assertThat(cells.get(List.of(header.split(",")).indexOf("device")))
        .isEqualTo("\"PyTorch 2.5.1 cpu(), 1 intra-op threads\"");
    assertThat(cells).hasSize(header.split(",").length);
    assertThat(cells.get(0)).isEqualTo("exp");
    assertThat(cells.get(List.of(header.split(",")).indexOf("test_auroc"))).isEmpty();
    assertThat(cells.get(List.of(header.split(",")).indexOf("flops"))).isEqualTo("1.5E12");
    assertThat(RunColumns.csvCell("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
  }

  @Test
  void aRunResultsCostIsTheOneCostValue() {
    Cost cost = RUN.cost();
    assertThat(cost).isEqualTo(new Cost(12_345, 76_800, 3.25, RUN.device(), 1.5e12));
    assertThat(cost.hourUnit()).isEqualTo("CPU-hour");
    assertThat(cost.deviceHours()).isCloseTo(3.25 / 3600, org.assertj.core.api.Assertions
        .within(1e-15));
    assertThat(Cost.of(10, Double.NaN, "PyTorch 2.5.1 gpu(0)").parameters()).isEqualTo(-1);
  }
}
