package io.dnalab.result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every classification metric of one evaluation. For binary tasks AUROC and AUPRC score the
 * positive class; for multi-class tasks they are macro one-vs-rest averages.
 */
public record MetricSet(int examples, double accuracy, double mcc, double macroF1, double auroc,
    double auprc, double loss) {

  /** Table names of the metrics, in table order. */
  public static final List<String> NAMES = List.of("accuracy", "mcc", "f1", "auroc", "auprc",
      "loss");
  /** The metrics where higher is better (the ones a model can be selected on). */
  public static final List<String> SCORES = List.of("accuracy", "mcc", "f1", "auroc", "auprc");

  /** The metric by its table name: accuracy, mcc, f1, auroc, auprc, loss. */
  public double get(String name) {
    return switch (name) {
      case "accuracy" -> accuracy;
      case "mcc" -> mcc;
      case "f1" -> macroF1;
      case "auroc" -> auroc;
      case "auprc" -> auprc;
      case "loss" -> loss;
      default -> throw new IllegalArgumentException(
          "unknown metric \"" + name + "\"; known: accuracy, mcc, f1, auroc, auprc, loss");
    };
  }

  /** Name → value, in table order. */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("accuracy", accuracy);
    map.put("mcc", mcc);
    map.put("f1", macroF1);
    map.put("auroc", auroc);
    map.put("auprc", auprc);
    map.put("loss", loss);
    return map;
  }
}
