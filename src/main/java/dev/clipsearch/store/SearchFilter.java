package dev.clipsearch.store;

import java.util.Objects;

/**
 * Restricts a search to images under a folder and/or carrying a label. Both parts are optional (null = any).
 *
 * @param folder an absolute folder; matches every path below it, at any depth, and nothing beside it
 *     ({@code /photos/2024} matches {@code /photos/2024/a.jpg}, not {@code /photos/2024-old/a.jpg})
 * @param label a label the row must carry
 */
public record SearchFilter(String folder, String label) {
  public static final SearchFilter NONE = new SearchFilter(null, null);

  public SearchFilter {
    folder = folder == null || folder.isEmpty() ? null : folder;
    label = label == null || label.isEmpty() ? null : label;
    if (folder != null && !folder.startsWith("/")) {
      throw new IllegalArgumentException("the folder filter must be an absolute path, got " + folder);
    }
  }

  public static SearchFilter under(String folder) {
    return new SearchFilter(folder, null);
  }

  public SearchFilter withLabel(String l) {
    return new SearchFilter(folder, l);
  }

  public boolean isNone() {
    return folder == null && label == null;
  }

  /** The folder with exactly one trailing slash: the prefix every matching path starts with. */
  public String folderPrefix() {
    Objects.requireNonNull(folder, "no folder in this filter");
    String f = folder;
    while (f.length() > 1 && f.endsWith("/")) {
      f = f.substring(0, f.length() - 1);
    }
    return f.equals("/") ? "/" : f + "/";
  }

  /** Whether a stored row matches; the in-memory test store and tests use it, Milvus evaluates its own filter. */
  public boolean matches(String path, java.util.List<String> labels) {
    return (folder == null || path.startsWith(folderPrefix())) && (label == null || labels.contains(label));
  }
}
