package io.dnalab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.dnalab.engine.TorchNatives;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The training core fine-tuning and pretraining share: an initialised model with its parameter
 * groups and its {@link AdamWOptimizer}, and what a loop does with them. The callers supply the
 * batches and the loss; everything between a loss and the next step is here.
 *
 * <p>One step: the loss is computed in a per-step child {@link NDManager} (closed after the step,
 * so no tensor outlives it) under a gradient collector, backward, global-norm clipping
 * ({@link GradientClipping}), one AdamW update, gradients zeroed. Parameter groups: every
 * parameter that takes a gradient is trained; weight decay applies to conv / linear weights only
 * ({@link #decays}). Evaluation runs without autograd. The loop owns the root manager: closing it
 * frees the model's and the optimizer's arrays.
 */
public final class TrainingLoop implements AutoCloseable {
  /**
   * What decides the numbers of an update besides the learning rate.
   *
   * @param clipNorm the global L2 norm gradients are scaled down to; 0 = no clipping
   * @param stopOnNonFinite fail the step, before updating, when the loss or the gradient norm is
   *     NaN or infinite (clipping cannot repair it; updating would poison every parameter)
   */
  public record Settings(AdamWOptimizer.Rule rule, double beta1, double beta2, double epsilon,
      double weightDecay, double clipNorm, boolean stopOnNonFinite) {}

  private final NDManager root;
  private final ParameterStore store;
  private final List<Parameter> all = new ArrayList<>();
  private final List<Parameter> trainable = new ArrayList<>();
  private final AdamWOptimizer optimizer;
  private final Settings settings;
  private final String label;

  /**
   * @param root the manager the model was initialised in; the loop closes it
   * @param model an initialised model; parameters that require no gradient are left alone
   * @param label names the run in error messages
   */
  public TrainingLoop(NDManager root, AbstractBlock model, Settings settings, String label) {
    this(root, model, settings, label, TrainingLoop::decays);
  }

  /**
   * @param decays which trainable parameters weight decay applies to (fine-tuning recipes choose
   *     their own groups, {@link #decays(io.dnalab.spec.Recipe.DecayApplies, Parameter)})
   */
  public TrainingLoop(NDManager root, AbstractBlock model, Settings settings, String label,
      java.util.function.Predicate<Parameter> decays) {
    this.root = root;
    this.settings = settings;
    this.label = label;
    store = new ParameterStore(root, false);
    List<Boolean> decay = new ArrayList<>();
    for (Pair<String, Parameter> pair : model.getParameters()) {
      all.add(pair.getValue());
      if (pair.getValue().requiresGradient()) {
        trainable.add(pair.getValue());
        decay.add(decays.test(pair.getValue()));
      }
    }
    boolean[] decayFlags = new boolean[decay.size()];
    for (int i = 0; i < decayFlags.length; i++) {
      decayFlags[i] = decay.get(i);
    }
    optimizer = new AdamWOptimizer(settings.rule(), root, trainable, decayFlags, settings.beta1(),
        settings.beta2(), settings.epsilon(), settings.weightDecay());
  }

  /** Weight decay on conv / linear weights only: biases, norms, embeddings are left alone. */
  static boolean decays(Parameter parameter) {
    return parameter.getType() == Parameter.Type.WEIGHT && parameter.getArray().getShape()
        .dimension() >= 2 && !parameter.getName().endsWith("embedding");
  }

  /**
   * Whether weight decay applies to {@code parameter} under a recipe's grouping. LayerNorm's (and
   * batch norm's) scale and shift are DJL's GAMMA and BETA parameters, biases BIAS.
   */
  public static boolean decays(io.dnalab.spec.Recipe.DecayApplies applies, Parameter parameter) {
    return switch (applies) {
      case ALL -> true;
      case NONE -> false;
      case MATRIX_WEIGHTS -> decays(parameter);
      case NOT_BIAS_OR_NORM -> parameter.getType() != Parameter.Type.BIAS
          && parameter.getType() != Parameter.Type.GAMMA
          && parameter.getType() != Parameter.Type.BETA;
    };
  }

  public ParameterStore store() {
    return store;
  }

  /** Optimizer steps taken (restored ones included). */
  public long steps() {
    return optimizer.updates();
  }

  /**
   * One optimizer step at learning rate {@code lr}: {@code loss} computes the batch's scalar loss
   * (in training mode) with the per-step manager it is given. Returns the loss.
   */
  public double step(Function<NDManager, NDArray> loss, double lr) {
    try (NDManager temporaries = root.newSubManager()) {
      double lossValue;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = loss.apply(temporaries);
        collector.backward(value);
        lossValue = value.getFloat();
      }
      List<NDArray> gradients = new ArrayList<>(trainable.size());
      for (Parameter parameter : trainable) {
        NDArray gradient = parameter.getArray().getGradient();
        gradient.attach(temporaries); // the handle (not the gradient buffer) is freed with the step
        gradients.add(gradient);
      }
      double norm = settings.clipNorm() > 0
          ? GradientClipping.clipGlobalNorm(gradients, settings.clipNorm()) : 0;
      if (settings.stopOnNonFinite() && (!Double.isFinite(lossValue)
          || !Double.isFinite(norm))) {
        throw new IllegalStateException(label + " step " + (steps() + 1) + ": loss "
            + lossValue + ", gradient norm " + norm + ": a non-finite loss or gradient, "
            + "which clipping cannot repair (learning rate " + lr + " at this step)");
      }
      // The update runs outside autograd, as torch.optim's step under no_grad: grad mode is per
      // thread and on in a new one (a notebook runs each cell on its own), and there PyTorch
      // refuses an in-place update of a parameter that requires a gradient.
      TorchNatives.withoutGradients(() -> {
        optimizer.step(gradients, lr, temporaries);
        for (Parameter parameter : trainable) {
          TorchNatives.zeroGradient(parameter.getArray());
        }
        return null;
      });
      return lossValue;
    }
  }

  /** Runs {@code evaluation} without autograd: no graph is recorded while scoring. */
  public <T> T evaluate(Supplier<T> evaluation) {
    return TorchNatives.withoutGradients(evaluation);
  }

  /** A child manager for one batch's tensors; the caller closes it. */
  public NDManager temporaries() {
    return root.newSubManager();
  }

  /** A copy of every parameter (batch-norm statistics and frozen ones included). */
  public float[][] snapshot() {
    float[][] copy = new float[all.size()][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = all.get(i).getArray().toFloatArray();
    }
    return copy;
  }

  /** Sets every parameter to what {@link #snapshot} returned. */
  public void restore(float[][] values) {
    // In place, so outside autograd for the same reason as the update in step.
    TorchNatives.withoutGradients(() -> {
      for (int i = 0; i < values.length; i++) {
        all.get(i).getArray().set(values[i]);
      }
      return null;
    });
  }

  /** Writes every parameter, then the optimizer's step count and moments. */
  public void save(DataOutputStream out) throws IOException {
    writeSnapshot(out, snapshot());
    optimizer.save(out);
  }

  /** Restores what {@link #save} wrote, for the same model. */
  public void load(DataInputStream in) throws IOException {
    restore(readSnapshot(in));
    optimizer.load(in);
  }

  /** Writes a {@link #snapshot} of this model. */
  public void writeSnapshot(DataOutputStream out, float[][] snapshot) throws IOException {
    out.writeInt(snapshot.length);
    for (float[] values : snapshot) {
      TrainingState.writeFloats(out, values);
    }
  }

  /** Reads what {@link #writeSnapshot} wrote, checked against this model's parameter sizes. */
  public float[][] readSnapshot(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count != all.size()) {
      throw new IOException(count + " parameters saved, the model has " + all.size());
    }
    float[][] values = new float[count][];
    for (int i = 0; i < count; i++) {
      values[i] = TrainingState.readFloats(in, all.get(i).getArray().size());
    }
    return values;
  }

  @Override
  public void close() {
    root.close();
  }
}
