package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Expected values from numpy's SVD with the same sign rule:
 *
 * <pre>
 * python3 -c "
 * import numpy as np
 * X=np.array([[1,2,0.5,3],[2,1,1.5,2.5],[0.5,0.2,2,1],[3,2.5,0.1,4],[1.5,1.7,1.2,2.2],
 *             [0.2,0.9,2.5,0.3]],dtype=np.float32).astype(np.float64)
 * C=X-X.mean(0); U,S,Vt=np.linalg.svd(C,full_matrices=False)
 * for c in range(2):
 *     if Vt[c][np.argmax(abs(Vt[c]))]<0: Vt[c]=-Vt[c]
 * print(C@Vt[:2].T, (S**2/(S**2).sum())[:2])"
 * </pre>
 */
class PrincipalComponentsTest {

  private static final float[][] ROWS = {
      {1f, 2f, 0.5f, 3f}, {2f, 1f, 1.5f, 2.5f}, {0.5f, 0.2f, 2f, 1f}, {3f, 2.5f, 0.1f, 4f},
      {1.5f, 1.7f, 1.2f, 2.2f}, {0.2f, 0.9f, 2.5f, 0.3f}};

  private static final double[][] EXPECTED = {
      {0.966159588929, -0.903731140716}, {0.290706932243, 0.758485268507},
      {-1.935964042332, 0.223073414754}, {2.936800049658, 0.214809589599},
      {0.246574975749, -0.101489887497}, {-2.504277504246, -0.191147244647}};

  @Test
  void projectionMatchesNumpy() {
    PrincipalComponents.Projection projection = PrincipalComponents.project(ROWS, 2);
    for (int i = 0; i < ROWS.length; i++) {
      assertThat(projection.coordinates()[i][0]).isCloseTo(EXPECTED[i][0], within(1e-9));
      assertThat(projection.coordinates()[i][1]).isCloseTo(EXPECTED[i][1], within(1e-9));
    }
    assertThat(projection.explainedVarianceRatio()[0]).isCloseTo(0.899974046417, within(1e-9));
    assertThat(projection.explainedVarianceRatio()[1]).isCloseTo(0.070032957009, within(1e-9));
  }

  /**
   * Fewer rows than columns (the N × N scatter-matrix branch); numpy as above on
   * {@code [[1,2,0.5,3,1],[2,1,1.5,2.5,0],[0.5,0.2,2,1,3],[3,2.5,0.1,4,1.5]]}.
   */
  @Test
  void wideInputMatchesNumpy() {
    float[][] wide = {{1f, 2f, 0.5f, 3f, 1f}, {2f, 1f, 1.5f, 2.5f, 0f}, {0.5f, 0.2f, 2f, 1f, 3f},
        {3f, 2.5f, 0.1f, 4f, 1.5f}};
    double[][] expected = {{0.52912373968, 0.03023738276}, {0.23098812596, -1.512166291333},
        {-2.939449604342, 0.565823555794}, {2.179337738701, 0.916105352779}};
    PrincipalComponents.Projection projection = PrincipalComponents.project(wide, 2);
    for (int i = 0; i < wide.length; i++) {
      assertThat(projection.coordinates()[i][0]).isCloseTo(expected[i][0], within(1e-9));
      assertThat(projection.coordinates()[i][1]).isCloseTo(expected[i][1], within(1e-9));
    }
    assertThat(projection.explainedVarianceRatio()[0]).isCloseTo(0.740294236519, within(1e-9));
    assertThat(projection.explainedVarianceRatio()[1]).isCloseTo(0.185945597169, within(1e-9));
  }

  @Test
  void raggedOrTooSmallInputIsNamed() {
    assertThatThrownBy(() -> PrincipalComponents.project(new float[][] {{1f, 2f}, {1f}}, 1))
        .hasMessageContaining("row 1 has 1 values but row 0 has 2");
    assertThatThrownBy(() -> PrincipalComponents.project(ROWS, 5))
        .hasMessageContaining("components must lie in [1, 4]");
    assertThatThrownBy(() -> PrincipalComponents.project(new float[][] {{1f}}, 1))
        .hasMessageContaining("at least 2 rows");
  }

  @Test
  void gcFractionCountsBasesAndSkipsSpecialTokens() {
    assertThat(BaseComposition.gcFraction("GCGA")).isEqualTo(0.75);
    assertThat(BaseComposition.gcFraction("acgt")).isEqualTo(0.5);
    assertThat(BaseComposition.gcFraction("ANNC")).isEqualTo(0.5);
    assertThat(BaseComposition.gcFraction("[CLS]")).isNaN();
    assertThat(BaseComposition.gcFraction("NN")).isNaN();
  }
}
