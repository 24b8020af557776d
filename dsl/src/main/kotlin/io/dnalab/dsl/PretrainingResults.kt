package io.dnalab.dsl

import io.dnalab.spec.PretrainSpec
import java.util.Locale

/**
 * Each pretraining of [Results] next to what it must beat: held-out masked-token (or next-token)
 * loss and accuracy against the unigram baseline on the same positions, with its cost; one row
 * per pretraining seed.
 * `plot(results).pretrainingCurves()` draws their learning curves.
 */
fun Results.pretraining(): Table = Table(
    columns = listOf(
        "pretraining", "pretraining seed", "tokenizer", "model", "steps", "tokens seen", "held-out loss", "unigram loss",
        "held-out accuracy", "unigram accuracy", "wall s", "PFLOP", "device",
    ),
    rows = pretrainings.map { run ->
        val r = run.result
        val steps = r.curve().maxOfOrNull { it.step() } ?: 0L
        listOf(
            run.cell.pretrain().id(),
            (run.cell.pretrain() as? PretrainSpec.Pretrain)?.seed()?.toString() ?: "—",
            run.cell.tokenizer().id(), run.cell.model().id(),
            String.format(Locale.ROOT, "%,d", steps),
            String.format(Locale.ROOT, "%,d", r.cost().tokensSeen()),
            String.format(Locale.ROOT, "%.3f", r.heldOut().loss()),
            String.format(Locale.ROOT, "%.3f", r.baseline().loss()),
            String.format(Locale.ROOT, "%.3f", r.heldOut().accuracy()),
            String.format(Locale.ROOT, "%.3f", r.baseline().accuracy()),
            String.format(Locale.ROOT, "%.0f", r.cost().wallSeconds()),
            String.format(Locale.ROOT, "%.4f", r.cost().flops() / 1e15),
            r.cost().device(),
        )
    },
    caption = "${spec.name()}: pretraining on held-out genome windows, against the unigram baseline",
)
