package io.dnalab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.dnalab.engine.TorchNatives;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter) whose state can be saved and restored, which DJL's {@code
 * AdamW} does not allow (its moments are private): a resumed run must continue exactly as an
 * uninterrupted one. The one AdamW of the training loop, with two update rules that differ only in
 * where ε and the bias corrections enter, kept apart because each run's numbers must not change:
 *
 * <p>{@link Rule#TORCH} (pretraining) is PyTorch's {@code torch.optim.AdamW}:
 *
 * <pre>
 * t += 1
 * p ← p − lr·wd·p                       (decoupled weight decay, only where wd applies)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * p ← p − lr/(1 − β1^t) · m / (√(v/(1 − β2^t)) + ε)
 * </pre>
 *
 * {@link Rule#DJL} (fine-tuning) is DJL's {@code AdamW} on PyTorch, bit for bit: the same fused
 * kernel ({@link TorchNatives#fusedAdamWUpdate}) with the same float arguments, ε added to √v
 * before the bias correction (so effectively ε/√(1 − β2^t)) and the decay applied first as
 * p − p·lr·wd. Fine-tuning ran on DJL's optimizer before it ran here.
 *
 * <p>Moments live on the parameters' device; temporaries are attached to the per-step manager the
 * caller passes.
 */
public final class AdamWOptimizer {
  /** Where ε and the bias corrections enter the update; see the class comment. */
  public enum Rule {
    /** {@code torch.optim.AdamW}: ε after bias correction. */
    TORCH,
    /** DJL's fused {@code AdamW}: ε before bias correction. */
    DJL
  }

  private final Rule rule;
  private final List<Parameter> parameters;
  private final boolean[] decays;
  private final NDArray[] firstMoments;
  private final NDArray[] secondMoments;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private long updates;

  /** An optimizer with {@link Rule#TORCH}. */
  public AdamWOptimizer(NDManager manager, List<Parameter> parameters, boolean[] decays,
      double beta1, double beta2, double epsilon, double weightDecay) {
    this(Rule.TORCH, manager, parameters, decays, beta1, beta2, epsilon, weightDecay);
  }

  /**
   * @param decays per parameter, whether weight decay applies to it
   */
  public AdamWOptimizer(Rule rule, NDManager manager, List<Parameter> parameters,
      boolean[] decays, double beta1, double beta2, double epsilon, double weightDecay) {
    this.rule = rule;
    this.parameters = List.copyOf(parameters);
    this.decays = decays.clone();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    firstMoments = new NDArray[parameters.size()];
    secondMoments = new NDArray[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      NDArray weight = parameters.get(i).getArray();
      firstMoments[i] = manager.zeros(weight.getShape(), DataType.FLOAT32, weight.getDevice());
      secondMoments[i] = manager.zeros(weight.getShape(), DataType.FLOAT32, weight.getDevice());
    }
  }

  /** Updates taken so far (t). */
  public long updates() {
    return updates;
  }

  /**
   * One update of every parameter with its gradient ({@code gradients.get(i)} belongs to
   * {@code parameters.get(i)}) at learning rate {@code lr}.
   */
  public void step(List<NDArray> gradients, double lr, NDManager temporaries) {
    if (rule == Rule.DJL) {
      stepLikeDjl(gradients, lr);
      return;
    }
    updates++;
    float correction1 = (float) (1 - Math.pow(beta1, updates));
    float correction2 = (float) (1 - Math.pow(beta2, updates));
    for (int i = 0; i < parameters.size(); i++) {
      NDArray weight = parameters.get(i).getArray();
      NDArray gradient = gradients.get(i);
      if (decays[i] && weightDecay > 0) {
        weight.muli((float) (1 - lr * weightDecay));
      }
      NDArray m = firstMoments[i];
      NDArray v = secondMoments[i];
      NDArray scaledGradient = gradient.mul((float) (1 - beta1));
      scaledGradient.attach(temporaries);
      m.muli((float) beta1).addi(scaledGradient);
      NDArray squared = gradient.square().muli((float) (1 - beta2));
      squared.attach(temporaries);
      v.muli((float) beta2).addi(squared);
      NDArray corrected = v.div(correction2);
      corrected.attach(temporaries); // results of ops on it now belong to temporaries as well
      NDArray denominator = corrected.sqrt().addi((float) epsilon);
      NDArray update = m.div(denominator);
      update.attach(temporaries);
      weight.subi(update.muli((float) (lr / correction1)));
    }
  }

  /**
   * DJL's {@code AdamW.update} per parameter, each float computed as DJL computes it: the
   * learning rate as its tracker returns it (a float), β's as floats promoted to double in the
   * corrections, t an int counted per parameter (every parameter is updated every step).
   */
  private void stepLikeDjl(List<NDArray> gradients, double lr) {
    updates++;
    int t = Math.toIntExact(updates);
    float beta1f = (float) beta1;
    float beta2f = (float) beta2;
    float rate = (float) lr;
    double coefficient1 = 1.0 - Math.pow(beta1f, t);
    double coefficient2 = 1.0 - Math.pow(beta2f, t);
    float biasCorrectedRate = (float) (rate * Math.sqrt(coefficient2) / coefficient1);
    for (int i = 0; i < parameters.size(); i++) {
      TorchNatives.fusedAdamWUpdate(parameters.get(i).getArray(), gradients.get(i),
          firstMoments[i], secondMoments[i], rate, biasCorrectedRate,
          decays[i] ? (float) weightDecay : 0f, beta1f, beta2f, (float) epsilon);
    }
  }

  /** Writes t and both moments of every parameter. */
  public void save(DataOutputStream out) throws IOException {
    out.writeLong(updates);
    out.writeInt(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      TrainingState.writeFloats(out, firstMoments[i].toFloatArray());
      TrainingState.writeFloats(out, secondMoments[i].toFloatArray());
    }
  }

  /** Restores what {@link #save} wrote, for the same parameters in the same order. */
  public void load(DataInputStream in) throws IOException {
    long savedUpdates = in.readLong();
    int count = in.readInt();
    if (count != parameters.size()) {
      throw new IOException("optimizer state for " + count + " parameters, this model has "
          + parameters.size());
    }
    for (int i = 0; i < count; i++) {
      firstMoments[i].set(TrainingState.readFloats(in, firstMoments[i].size()));
      secondMoments[i].set(TrainingState.readFloats(in, secondMoments[i].size()));
    }
    updates = savedUpdates;
  }
}
