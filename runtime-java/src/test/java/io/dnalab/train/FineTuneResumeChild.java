package io.dnalab.train;

import java.nio.file.Path;

/**
 * The child JVM of {@link FineTuneResumeTest}: fine-tunes with its training state written every
 * {@link FineTuneResumeTest#EVERY} steps, printing each checkpoint's step, and slows down (in the
 * listener only, which does not touch the training) after step 12 so the parent can kill it.
 */
public final class FineTuneResumeChild {
  private FineTuneResumeChild() {}

  public static void main(String[] args) {
    Path state = Path.of(args[0]);
    FineTuner.nucleotide().run(FineTuneResumeTest.task(), FineTuneResumeTest.MODEL, null,
        FineTuneResumeTest.CONFIG, FineTuneResumeTest.checkpointing(state),
        new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            if (step > 12) {
              try {
                Thread.sleep(400);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }

          @Override
          public void onCheckpoint(long step, Path file) {
            System.out.println("checkpoint " + step);
            System.out.flush();
          }
        });
    System.out.println("child finished");
  }
}
