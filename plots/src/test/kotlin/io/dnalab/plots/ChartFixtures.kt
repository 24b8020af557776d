package io.dnalab.plots

import io.dnalab.result.Cost
import io.dnalab.metrics.LearningCurvePoint
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.PretrainingGain

/** Small, hand-made inputs for chart tests. */
internal object ChartFixtures {
    val cells = listOf(
        CellValues("gue/tf_0", "bert-l4-h256", "bpe-4096", "none", listOf(0.50, 0.55, 0.53)),
        CellValues("gue/tf_0", "bert-l4-h256", "kmer-6", "none", listOf(0.45, 0.47, 0.49)),
        CellValues("gue/tf_0", "convnova-d64-k5", "bpe-4096", "none", listOf(0.60, 0.61, 0.62)),
        CellValues("gue/tf_0", "convnova-d64-k5", "kmer-6", "none", listOf(0.58, 0.60, 0.57)),
    )

    private fun gain(model: String, tokenizer: String, treated: List<Double>, control: List<Double>, seconds: Double, flops: Double) =
        PretrainingGain(
            "gue/tf_0", tokenizer, model, "mlm-2000", "none", "mcc",
            PairedGain.of(
                treated.mapIndexed { i, v -> (i + 1).toLong() to v }.toMap(),
                control.mapIndexed { i, v -> (i + 1).toLong() to v }.toMap(),
            ),
            Cost.of(seconds, flops, "PyTorch 2.5.1 cpu(), 2 intra-op threads"),
        )

    /** better (consistent +0.06), no clear difference, worse (−0.05, −0.04, −0.06). */
    val gains = listOf(
        gain("bert-l4-h256", "bpe-4096", listOf(0.65, 0.66, 0.67), listOf(0.60, 0.60, 0.60), 3600.0, 2e15),
        gain("bert-l4-h256", "kmer-6", listOf(0.62, 0.58, 0.66), listOf(0.55, 0.57, 0.60), 7200.0, 4e15),
        gain("convnova-d64-k5", "bpe-4096", listOf(0.55, 0.57, 0.56), listOf(0.60, 0.61, 0.62), 900.0, Double.NaN),
    )

    val curves = buildList {
        for (series in listOf("mlm", "randomMask")) {
            for (step in listOf(0L, 100L, 200L, 300L)) {
                val loss = 1.6 - step / 1000.0 - (if (series == "mlm") 0.0 else 0.05)
                add(LearningCurvePoint(series, step, "train", loss, 0.25 + step / 2000.0))
                add(LearningCurvePoint(series, step, "validation", loss + 0.02, 0.24 + step / 2000.0))
            }
        }
    }
}
