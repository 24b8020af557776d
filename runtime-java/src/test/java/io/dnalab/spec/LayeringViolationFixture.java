package io.dnalab.spec;

import io.dnalab.model.Models;

/** A spec-layer class that reaches into the model layer: LayeringTest proves its rule catches it. */
public final class LayeringViolationFixture {
  private LayeringViolationFixture() {}

  static Class<?> reachesIntoModel() {
    return Models.class;
  }
}
