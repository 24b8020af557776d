package io.dnalab.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Principal component analysis of row vectors (e.g. a model's token embeddings, one row per
 * token), for 2-D pictures of what a model learned. Deterministic: the sign of each component,
 * arbitrary in an eigendecomposition, is fixed so that its loading of largest magnitude is
 * positive.
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
   * The first {@code k} principal axes (unit vectors of length D) of centred rows (N, D), from
   * the eigenvectors of the smaller of the two scatter matrices: XᵀX (D, D) when D ≤ N, else XXᵀ
   * (N, N), whose eigenvectors u map to axes Xᵀu / |Xᵀu|. Both cost O(N·D·min(N, D)); an SVD of X
   * itself took 10 s for 4096 × 256 with commons-math.
   */
  private static double[][] principalAxes(double[][] centred, int k) {
    int n = centred.length;
    int width = centred[0].length;
    boolean features = width <= n;
    int size = features ? width : n;
    double[][] scatter = new double[size][size];
    if (features) {
      for (double[] row : centred) {
        for (int a = 0; a < width; a++) {
          double va = row[a];
          if (va == 0) {
            continue;
          }
          double[] out = scatter[a];
          for (int b = a; b < width; b++) {
            out[b] += va * row[b];
          }
        }
      }
    } else {
      for (int a = 0; a < n; a++) {
        for (int b = a; b < n; b++) {
          double dot = 0;
          for (int j = 0; j < width; j++) {
            dot += centred[a][j] * centred[b][j];
          }
          scatter[a][b] = dot;
        }
      }
    }
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < a; b++) {
        scatter[a][b] = scatter[b][a];
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(scatter, false));
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
    double[][] axes = new double[k][];
    for (int c = 0; c < k; c++) {
      double[] vector = eigen.getEigenvector(order[c]).toArray();
      if (features) {
        axes[c] = vector;
      } else {
        double[] axis = new double[width];
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < width; j++) {
            axis[j] += centred[i][j] * vector[i];
          }
        }
        double norm = 0;
        for (double v : axis) {
          norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < width; j++) {
          axis[j] = norm == 0 ? 0 : axis[j] / norm;
        }
        axes[c] = axis;
      }
    }
    return axes;
  }

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
    double[][] axes = principalAxes(centred, components); // (k, D)
    double total = 0; // total variance × (N - 1): the trace of the scatter matrix
    for (double[] row : centred) {
      for (double v : row) {
        total += v * v;
      }
    }
    double[][] coordinates = new double[rows.length][components]; // (N, k)
    double[] ratio = new double[components];
    for (int c = 0; c < components; c++) {
      double[] axis = axes[c];
      int largest = 0;
      for (int j = 1; j < axis.length; j++) {
        if (Math.abs(axis[j]) > Math.abs(axis[largest])) {
          largest = j;
        }
      }
      double sign = axis[largest] < 0 ? -1 : 1;
      double squares = 0;
      for (int i = 0; i < rows.length; i++) {
        double dot = 0;
        for (int j = 0; j < width; j++) {
          dot += centred[i][j] * axis[j];
        }
        coordinates[i][c] = sign * dot;
        squares += dot * dot;
      }
      ratio[c] = total == 0 ? Double.NaN : squares / total;
    }
    return new Projection(coordinates, ratio);
  }
}
