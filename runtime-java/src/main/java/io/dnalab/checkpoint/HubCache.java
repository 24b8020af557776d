package io.dnalab.checkpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * The Hugging Face hub cache folder, found the way {@code huggingface_hub} finds it: {@code
 * $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else
 * {@code ~/.cache/huggingface/hub}. Only the first of these that is set counts, as in {@code
 * huggingface_hub}: a model in another one is not found (the error names the one used and why).
 *
 * <p>Inside it a model {@code ORG/NAME} lives at {@code models--ORG--NAME/}; {@code refs/main}
 * holds the commit of the branch last downloaded and {@code snapshots/<commit>/} its files
 * (symbolic links into {@code blobs/}, which reading follows).
 *
 * @param root the cache folder (it need not exist)
 * @param origin how it was chosen, e.g. {@code "$HF_HOME/hub"}, for error messages
 */
public record HubCache(Path root, String origin) {

  /** The cache the given environment selects; {@code userHome} stands in for {@code ~}. */
  public static HubCache fromEnvironment(Map<String, String> environment, Path userHome) {
    String hubCache = nonBlank(environment.get("HF_HUB_CACHE"));
    if (hubCache != null) {
      return new HubCache(Path.of(hubCache), "$HF_HUB_CACHE");
    }
    String home = nonBlank(environment.get("HF_HOME"));
    if (home != null) {
      return new HubCache(Path.of(home, "hub"), "$HF_HOME/hub");
    }
    String xdg = nonBlank(environment.get("XDG_CACHE_HOME"));
    if (xdg != null) {
      return new HubCache(Path.of(xdg, "huggingface", "hub"), "$XDG_CACHE_HOME/huggingface/hub");
    }
    return new HubCache(userHome.resolve(".cache").resolve("huggingface").resolve("hub"),
        "~/.cache/huggingface/hub (no $HF_HUB_CACHE or $HF_HOME set)");
  }

  /** The cache this process's environment selects. */
  public static HubCache fromEnvironment() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** {@code models--ORG--NAME}: the folder of one model repository in the cache. */
  public Path repositoryFolder(String hubId) {
    return root.resolve("models--" + hubId.replace("/", "--"));
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
