package dev.clipsearch.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Which model made a collection's vectors: the SHA-256 of the TorchScript file, the spec's name and the dimension. It
 * is recorded in the collection's properties (Milvus and Milvus Lite both keep them; Lite drops the description), so
 * vectors of two models that happen to share a dimension never end up mixed in one collection.
 *
 * <p>The file hash, not the name, decides: two exports of one name can hold different weights, and a renamed file
 * holds the same ones.
 */
public record ModelStamp(String name, String sha256, int dimension) {
  static final String NAME = "clipsearch.model.name";
  static final String SHA256 = "clipsearch.model.sha256";
  static final String DIMENSION = "clipsearch.model.dimension";

  public ModelStamp {
    if (name == null || name.isBlank() || sha256 == null || !sha256.matches("[0-9a-f]{64}") || dimension < 1) {
      throw new IllegalArgumentException("invalid model stamp: " + name + ", " + sha256 + ", " + dimension);
    }
  }

  /** Hashes {@code file} (about 1 s per GB). */
  public static ModelStamp ofFile(Path file, String name, int dimension) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return new ModelStamp(name, HexFormat.of().formatHex(md.digest()), dimension);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model file " + file + " to record it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JRE has SHA-256
    }
  }

  /** The stamp recorded in a collection's properties, if any (collections made before stamps have none). */
  static Optional<ModelStamp> fromProperties(Map<String, String> props) {
    String sha = props.get(SHA256);
    if (sha == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ModelStamp(props.getOrDefault(NAME, "unnamed"), sha,
          Integer.parseInt(props.getOrDefault(DIMENSION, "0"))));
    } catch (IllegalArgumentException e) {
      throw new StoreException("the collection's model record is damaged (" + props + "): " + e.getMessage());
    }
  }

  Map<String, String> properties() {
    return Map.of(NAME, name, SHA256, sha256, DIMENSION, Integer.toString(dimension));
  }

  /** True when vectors of {@code other} can be compared with this model's. */
  boolean sameModel(ModelStamp other) {
    return sha256.equals(other.sha256) && dimension == other.dimension;
  }

  /** {@code cifar-tiny-clip (sha256 1a2b3c4d5e6f..., 512-d)}. */
  public String describe() {
    return name + " (sha256 " + sha256.substring(0, 12) + "..., " + dimension + "-d)";
  }
}
