package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dnalab.result.MetricSet;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
  private static final double EPS = 1e-12;

  // Binary case by hand:
  //   labels      1 1 1 0 0 0 0 1
  //   predictions 1 0 1 0 1 0 0 1
  //   TP = 3 (idx 0,2,7), FN = 1 (idx 1), FP = 1 (idx 4), TN = 3 (idx 3,5,6)
  //   accuracy = 6/8 = 0.75
  //   MCC = (TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (9 − 1) / sqrt(4·4·4·4) = 0.5
  //   F1(1) = 2·3/(6+1+1) = 0.75, F1(0) = 2·3/(6+1+1) = 0.75 → macro 0.75
  private static final int[] BIN_LABELS = {1, 1, 1, 0, 0, 0, 0, 1};
  private static final int[] BIN_PREDS = {1, 0, 1, 0, 1, 0, 0, 1};

  @Test
  void binaryAccuracyMccF1MatchHandComputation() {
    assertThat(ClassificationMetrics.accuracy(BIN_LABELS, BIN_PREDS)).isEqualTo(0.75);
    assertThat(ClassificationMetrics.mcc(BIN_LABELS, BIN_PREDS, 2)).isCloseTo(0.5, within(EPS));
    assertThat(ClassificationMetrics.macroF1(BIN_LABELS, BIN_PREDS, 2)).isCloseTo(0.75,
        within(EPS));
  }

  // Three classes by hand (Gorodkin's R_K):
  //   labels      0 0 1 1 2 2
  //   predictions 0 1 1 1 2 0
  //   confusion rows = true: [1 1 0] [0 2 0] [1 0 1]
  //   t = (2,2,2), p = (2,3,1), c = 4, s = 6
  //   numerator   = c·s − Σ p·t = 24 − (4 + 6 + 2) = 12
  //   denominator = sqrt((36 − (4+9+1)) · (36 − 12)) = sqrt(22 · 24) = sqrt(528)
  //   MCC = 12 / sqrt(528) = 0.5222329678670935
  //   F1: class 0: 2·1/(2+1+1) = 0.5; class 1: 2·2/(4+1+0) = 0.8; class 2: 2·1/(2+0+1) = 2/3
  //   macro F1 = (0.5 + 0.8 + 2/3)/3 = 0.6555…
  @Test
  void multiClassMccIsGorodkinsRk() {
    int[] labels = {0, 0, 1, 1, 2, 2};
    int[] preds = {0, 1, 1, 1, 2, 0};
    assertThat(ClassificationMetrics.mcc(labels, preds, 3))
        .isCloseTo(12 / Math.sqrt(528), within(EPS));
    assertThat(ClassificationMetrics.macroF1(labels, preds, 3))
        .isCloseTo((0.5 + 0.8 + 2.0 / 3) / 3, within(EPS));
    assertThat(ClassificationMetrics.accuracy(labels, preds)).isCloseTo(4.0 / 6, within(EPS));
  }

  @Test
  void mccOfTwoClassesViaRkEqualsTheBinaryFormula() {
    // Gorodkin's formula on the binary case above must give the same 0.5.
    long[][] confusion = ClassificationMetrics.confusionMatrix(BIN_LABELS, BIN_PREDS, 2);
    assertThat(confusion).isDeepEqualTo(new long[][] {{3, 1}, {1, 3}});
  }

  @Test
  void constantPredictionsGiveMccZeroNotNaN() {
    int[] labels = {0, 1, 0, 1, 1};
    int[] allOnes = {1, 1, 1, 1, 1};
    assertThat(ClassificationMetrics.mcc(labels, allOnes, 2)).isEqualTo(0.0);
    int[] constantLabels = {2, 2, 2};
    assertThat(ClassificationMetrics.mcc(constantLabels, new int[] {0, 1, 2}, 3)).isEqualTo(0.0);
    // F1 of the constant predictor: class 1 = 2·3/(6+2+0) = 0.75, class 0 = 0 → macro 0.375
    assertThat(ClassificationMetrics.macroF1(labels, allOnes, 2)).isCloseTo(0.375, within(EPS));
  }

  @Test
  void perfectAndInvertedPredictions() {
    int[] labels = {0, 1, 1, 0};
    assertThat(ClassificationMetrics.mcc(labels, labels, 2)).isEqualTo(1.0);
    assertThat(ClassificationMetrics.mcc(labels, new int[] {1, 0, 0, 1}, 2)).isEqualTo(-1.0);
  }

  // scikit-learn's documented example: y = [0 0 1 1], scores = [0.1 0.4 0.35 0.8]
  //   AUROC: positive/negative pairs won: 0.35>0.1, 0.8>0.1, 0.8>0.4 → 3/4 = 0.75
  //   AP: thresholds 0.8 (R .5, P 1), 0.4 (R .5, P .5), 0.35 (R 1, P 2/3), 0.1 (R 1, P .5)
  //       = 0.5·1 + 0·0.5 + 0.5·(2/3) + 0 = 0.8333…
  @Test
  void aurocAndAveragePrecisionMatchScikitLearnExample() {
    int[] labels = {0, 0, 1, 1};
    double[] scores = {0.1, 0.4, 0.35, 0.8};
    assertThat(ClassificationMetrics.auroc(labels, scores)).isCloseTo(0.75, within(EPS));
    assertThat(ClassificationMetrics.auprc(labels, scores)).isCloseTo(5.0 / 6, within(EPS));
  }

  // Ties: y = [1 0 1 0], scores = [0.5 0.5 0.9 0.1]
  //   AUROC: pairs (0.5 vs 0.5) = ½, (0.5 vs 0.1) = 1, (0.9 vs both) = 2 → 3.5/4 = 0.875
  //   AP: threshold 0.9 → R .5, P 1; threshold 0.5 takes both tied examples at once → R 1, P 2/3
  //       = 0.5 + 0.5·(2/3) = 0.8333… (an optimistic tie-break would give 1.0)
  @Test
  void tiedScoresCountHalfAndFormOneThreshold() {
    int[] labels = {1, 0, 1, 0};
    double[] scores = {0.5, 0.5, 0.9, 0.1};
    assertThat(ClassificationMetrics.auroc(labels, scores)).isCloseTo(0.875, within(EPS));
    assertThat(ClassificationMetrics.auprc(labels, scores)).isCloseTo(5.0 / 6, within(EPS));
    double[] allTied = {0.3, 0.3, 0.3, 0.3};
    assertThat(ClassificationMetrics.auroc(labels, allTied)).isEqualTo(0.5);
    assertThat(ClassificationMetrics.auprc(labels, allTied)).isEqualTo(0.5); // prevalence
  }

  @Test
  void singleClassLabelsGiveNaNRankMetrics() {
    assertThat(ClassificationMetrics.auroc(new int[] {1, 1}, new double[] {0.2, 0.7})).isNaN();
    assertThat(ClassificationMetrics.auprc(new int[] {0, 0}, new double[] {0.2, 0.7})).isNaN();
  }

  @Test
  void metricSetUsesPositiveClassForBinaryAndOneVsRestForMultiClass() {
    double[][] probabilities = {{0.9, 0.1}, {0.6, 0.4}, {0.65, 0.35}, {0.2, 0.8}};
    MetricSet binary = ClassificationMetrics.evaluate(new int[] {0, 0, 1, 1}, probabilities, 2, 0.3);
    assertThat(binary.auroc()).isCloseTo(0.75, within(EPS));
    assertThat(binary.accuracy()).isEqualTo(0.75);
    assertThat(binary.loss()).isEqualTo(0.3);

    // One-vs-rest with three classes, each class perfectly separated by its own column → 1.0.
    double[][] three = {{0.8, 0.1, 0.1}, {0.1, 0.7, 0.2}, {0.2, 0.2, 0.6}};
    MetricSet multi = ClassificationMetrics.evaluate(new int[] {0, 1, 2}, three, 3, Double.NaN);
    assertThat(multi.auroc()).isEqualTo(1.0);
    assertThat(multi.auprc()).isEqualTo(1.0);
    assertThat(multi.mcc()).isEqualTo(1.0);
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> ClassificationMetrics.mcc(new int[] {0, 3}, new int[] {0, 1}, 2))
        .hasMessage("label 1 is 3, outside 0..1");
    assertThatThrownBy(() -> ClassificationMetrics.accuracy(new int[] {0}, new int[] {0, 1}))
        .hasMessage("labels (1) and predictions (2) differ in length");
    assertThatThrownBy(() -> ClassificationMetrics.evaluate(new int[] {0}, new double[][] {{1, 0}}, 2, 0).get("r2"))
        .hasMessageContaining("unknown metric \"r2\"");
  }
}
