package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.spec.PretrainSpec
import java.util.Locale

/**
 * Each pretraining of [Results] next to what it must beat: held-out masked-token (or next-token)
 * loss and accuracy against the unigram baseline on the same positions, with its cost, and how
 * many dev and test sequences of the experiment's tasks its corpus already held (the leakage
 * screen stored with it: exact and near copies among all screened sequences, "not screened" for
 * a pretraining made before the screen existed) and what the corpus's `leakage` policy did; one
 * row per pretraining seed.
 * `plot(results).pretrainingCurves()` draws their learning curves.
 */
fun Results.pretraining(): Table = Table(
    columns = listOf(
        "pretraining", "pretraining seed", "tokenizer", "model", "steps", "tokens seen", "held-out loss", "unigram loss",
        "held-out accuracy", "unigram accuracy", "wall s", "PFLOP", "device",
        "task seqs in corpus (exact / near / screened)", "leakage",
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
            Dnalab.leakage(run.folder)?.let { leak ->
                String.format(
                    Locale.ROOT, "%,d / %,d / %,d", leak.counts().sumOf { it.exactCopies() },
                    leak.counts().sumOf { it.nearCopies() }, leak.counts().sumOf { it.screened() },
                )
            } ?: "not screened",
            (run.cell.pretrain() as? PretrainSpec.Pretrain)?.corpus()?.leakage()?.name
                ?.lowercase(Locale.ROOT) ?: "",
        )
    },
    caption = "${spec.name()}: pretraining on held-out genome windows, against the unigram baseline",
)
