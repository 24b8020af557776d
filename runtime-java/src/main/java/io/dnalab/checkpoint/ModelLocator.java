package io.dnalab.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a model's files offline. A model is named by a folder (holding {@code config.json} and the
 * weights) or by a hub id such as {@code zhihan1996/DNABERT-2-117M}, looked up in the {@link
 * HubCache}. Nothing is ever downloaded: a model that is not here fails with a {@link
 * ModelNotFoundException} that lists each place looked at and the download command to run on a
 * connected machine.
 */
public final class ModelLocator {
  /** Hub ids: {@code ORG/NAME}, letters, digits, {@code - _ .}; the hub's own rule. */
  private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");
  /** A revision that is a full commit hash names a snapshot folder directly. */
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

  private final HubCache cache;
  private final Path workingDirectory;

  /**
   * @param cache the hub cache to look in
   * @param workingDirectory what relative folder names are resolved against
   */
  public ModelLocator(HubCache cache, Path workingDirectory) {
    this.cache = cache;
    this.workingDirectory = workingDirectory;
  }

  /** A locator over this process's hub cache and working directory. */
  public static ModelLocator fromEnvironment() {
    return new ModelLocator(HubCache.fromEnvironment(), Path.of("").toAbsolutePath());
  }

  /**
   * Where a model was found.
   *
   * @param folder the folder holding {@code config.json} and the weights
   * @param hubId the hub id it was named by, or null when named by folder
   * @param commit the hub commit of the snapshot, or null when named by folder
   */
  public record Location(Path folder, String hubId, String commit) {
    /** A folder named directly, not through the hub cache. */
    public boolean isLocalFolder() {
      return hubId == null;
    }
  }

  /** The model's {@code main} revision, or its folder. */
  public Location locate(String modelName) {
    return locate(modelName, "main");
  }

  /**
   * Finds a model.
   *
   * @param modelName a folder (absolute or relative to the working directory) or a hub id
   * @param revision for hub ids: a branch or tag with a file under {@code refs/}, or a commit hash
   */
  public Location locate(String modelName, String revision) {
    if (modelName == null || modelName.isBlank()) {
      throw new ModelNotFoundException("no model named: give a folder or a hub id such as zhihan1996/DNABERT-2-117M");
    }
    List<String> looked = new ArrayList<>();
    Path folder = workingDirectory.resolve(modelName).normalize();
    if (Files.isDirectory(folder)) {
      return new Location(folder, null, null);
    }
    looked.add(folder + " (as a folder): " + (Files.exists(folder) ? "not a folder" : "does not exist"));
    if (!HUB_ID.matcher(modelName).matches()) {
      throw new ModelNotFoundException("model " + modelName + " not found; looked at:\n  " + String.join("\n  ", looked)
          + "\n" + modelName + " is not a hub id (ORG/NAME) either, so the Hugging Face cache was not searched.");
    }
    Path repository = cache.repositoryFolder(modelName);
    Path snapshot = snapshotOf(repository, revision, looked);
    if (snapshot != null) {
      return new Location(snapshot, modelName, snapshot.getFileName().toString());
    }
    throw new ModelNotFoundException("model " + modelName + " not found; looked at:\n  " + String.join("\n  ", looked)
        + "\nHugging Face cache: " + cache.root() + ", chosen by " + cache.origin() + "."
        + "\nNothing is downloaded here. On a machine with network, run:\n  hf download " + modelName
        + (revision.equals("main") ? "" : " --revision " + revision)
        + "\n(huggingface_hub before 0.34: huggingface-cli download " + modelName + ")"
        + "\nthen copy its folder " + repository.getFileName() + " into " + cache.root()
        + " here, or set HF_HOME to the folder that holds hub/" + repository.getFileName()
        + ", or pass the snapshot folder itself as the model.");
  }

  /** The snapshot folder of {@code revision}, or null after adding what was missing to {@code looked}. */
  private static Path snapshotOf(Path repository, String revision, List<String> looked) {
    if (!Files.isDirectory(repository)) {
      looked.add(repository + " (Hugging Face cache): does not exist");
      return null;
    }
    String commit;
    if (COMMIT.matcher(revision).matches()) {
      commit = revision;
    } else {
      Path ref = repository.resolve("refs").resolve(revision);
      if (!Files.isRegularFile(ref)) {
        looked.add(ref + " (revision " + revision + "): does not exist");
        return null;
      }
      try {
        commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException(ref + ": cannot read: " + e.getMessage(), e);
      }
      if (!COMMIT.matcher(commit).matches()) {
        looked.add(ref + ": holds \"" + commit + "\", not a commit hash");
        return null;
      }
    }
    Path snapshot = repository.resolve("snapshots").resolve(commit);
    if (!Files.isDirectory(snapshot)) {
      looked.add(snapshot + " (snapshot of " + revision + "): does not exist");
      return null;
    }
    return snapshot;
  }
}
