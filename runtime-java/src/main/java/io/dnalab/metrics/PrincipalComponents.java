package io.dnalab.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Principal component analysis of row vectors (e.g. a model's token embeddings, one row per
 * token), for 2-D pictures of what a model learned. Deterministic: the sign of each component,
 * arbitrary in an SVD, is fixed so that its loading of largest magnitude is positive.
 */
public final class PrincipalComponents {

  /**
   * The rows projected on their first principal components.
   *
   * @param coordinates one row per input row, {@code components} columns: (N, k)
   * @param explainedVarianceRatio the share of the total variance each component carries
   */
  public record Projection(double[][] coordinates, double[] explainedVarianceRatio) {}

  private PrincipalComponents() {}

  /**
   * Centres the columns of {@code rows} (N rows of D values) and projects them on their first
   * {@code components} principal axes.
   */
  public static Projection project(float[][] rows, int components) {
    if (rows.length < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + rows.length);
    }
    int width = rows[0].length;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length
            + " values but row 0 has " + width);
      }
    }
    if (components < 1 || components > Math.min(rows.length, width)) {
      throw new IllegalArgumentException("components must lie in [1, "
          + Math.min(rows.length, width) + "] for " + rows.length + " rows of " + width
          + " values, got " + components);
    }
    double[] means = new double[width];
    for (float[] row : rows) {
      for (int j = 0; j < width; j++) {
        means[j] += row[j];
      }
    }
    for (int j = 0; j < width; j++) {
      means[j] /= rows.length;
    }
    double[][] centred = new double[rows.length][width]; // (N, D)
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < width; j++) {
        centred[i][j] = rows[i][j] - means[j];
      }
    }
    RealMatrix matrix = new Array2DRowRealMatrix(centred, false);
    SingularValueDecomposition svd = new SingularValueDecomposition(matrix);
    RealMatrix axes = svd.getV(); // (D, r): principal axes as columns
    double[] singular = svd.getSingularValues();
    double total = 0;
    for (double s : singular) {
      total += s * s;
    }
    double[][] coordinates = new double[rows.length][components]; // (N, k)
    double[] ratio = new double[components];
    for (int c = 0; c < components; c++) {
      double[] axis = axes.getColumn(c);
      int largest = 0;
      for (int j = 1; j < axis.length; j++) {
        if (Math.abs(axis[j]) > Math.abs(axis[largest])) {
          largest = j;
        }
      }
      double sign = axis[largest] < 0 ? -1 : 1;
      for (int i = 0; i < rows.length; i++) {
        double dot = 0;
        for (int j = 0; j < width; j++) {
          dot += centred[i][j] * axis[j];
        }
        coordinates[i][c] = sign * dot;
      }
      ratio[c] = total == 0 ? Double.NaN : singular[c] * singular[c] / total;
    }
    return new Projection(coordinates, ratio);
  }
}
