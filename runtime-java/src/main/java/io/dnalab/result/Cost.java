package io.dnalab.result;

/**
 * What a training run cost.
 *
 * @param parameters trainable scalars of the trained model
 * @param tokensSeen non-padding input tokens over all optimizer steps (epochs × examples for
 *     fine-tuning; steps × batch × tokens per window for pretraining)
 * @param wallSeconds wall time of the run
 * @param device engine, device and threads
 * @param flops analytic estimate of training FLOPs (forward + backward = 3 × forward), see
 *     {@code io.dnalab.train.Flops}
 */
public record Cost(long parameters, long tokensSeen, double wallSeconds, String device,
    double flops) {}
