package dev.clipsearch.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sidecar spec of a TorchScript CLIP file ({@code model.pt} + {@code model.pt.json} or {@code model.json}).
 * Written by {@code models/export_clip.py}; defaults are OpenAI CLIP ViT-B/32.
 *
 * @param textLengths token lengths {@code encode_text} accepts besides {@code contextLength}, ascending. Empty means
 *     the model only takes full {@code [N, contextLength]} inputs. When present, the runtime pads a query only up to
 *     the smallest declared length that holds its EOT token (the text tower is causal and pools at EOT).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
    @JsonProperty("name") String name,
    @JsonProperty("embed_dim") int embedDim,
    @JsonProperty("image_size") int imageSize,
    @JsonProperty("resize") String resize,
    @JsonProperty("interpolation") String interpolation,
    @JsonProperty("crop") String crop,
    @JsonProperty("mean") float[] mean,
    @JsonProperty("std") float[] std,
    @JsonProperty("context_length") int contextLength,
    @JsonProperty("tokenizer") String tokenizer,
    @JsonProperty("text_lengths") List<Integer> textLengths,
    @JsonProperty("normalized_outputs") boolean normalizedOutputs) {

  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  public ModelSpec {
    name = name == null ? "clip" : name;
    embedDim = embedDim == 0 ? 512 : embedDim;
    imageSize = imageSize == 0 ? 224 : imageSize;
    resize = resize == null ? "shortest_side" : resize;
    interpolation = interpolation == null ? "bicubic" : interpolation;
    crop = crop == null ? "center" : crop;
    mean = mean == null ? CLIP_MEAN.clone() : mean;
    std = std == null ? CLIP_STD.clone() : std;
    contextLength = contextLength == 0 ? 77 : contextLength;
    tokenizer = tokenizer == null ? "clip-bpe-49408" : tokenizer;
    textLengths = textLengths == null ? List.of() : List.copyOf(textLengths);
    validate(embedDim, imageSize, resize, interpolation, crop, mean, std, contextLength, tokenizer, textLengths);
  }

  /** OpenAI CLIP ViT-B/32 as open_clip preprocesses it. */
  public static ModelSpec clipVitB32() {
    return new ModelSpec("ViT-B-32", 512, 224, null, null, null, null, null, 77, null, null, true);
  }

  /** Reads the sidecar of a model file: {@code X.pt.json}, else {@code X.json}; a missing sidecar is an error. */
  public static ModelSpec forModel(Path modelFile) throws IOException {
    Path sidecar = sidecarOf(modelFile);
    if (!Files.isRegularFile(sidecar)) {
      throw new ModelException(
          "model spec not found: expected " + sidecar + " beside " + modelFile + " (written by models/export_clip.py)");
    }
    try {
      return new ObjectMapper().readValue(sidecar.toFile(), ModelSpec.class);
    } catch (IllegalArgumentException e) {
      throw new ModelException("invalid model spec " + sidecar + ": " + e.getMessage(), e);
    }
  }

  static Path sidecarOf(Path modelFile) {
    Path withSuffix = modelFile.resolveSibling(modelFile.getFileName() + ".json");
    if (Files.isRegularFile(withSuffix)) {
      return withSuffix;
    }
    String file = modelFile.getFileName().toString();
    int dot = file.lastIndexOf('.');
    return modelFile.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + ".json");
  }

  /** The shortest accepted text length that holds {@code tokens} ids (falls back to the full context). */
  public int textLengthFor(int tokens) {
    for (int len : textLengths) {
      if (len >= tokens && len <= contextLength) {
        return len;
      }
    }
    return contextLength;
  }

  private static void validate(
      int embedDim, int imageSize, String resize, String interpolation, String crop, float[] mean, float[] std,
      int contextLength, String tokenizer, List<Integer> textLengths) {
    require(embedDim > 0 && embedDim <= 65536, "embed_dim must be in 1..65536, got " + embedDim);
    require(imageSize >= 8 && imageSize <= 4096, "image_size must be in 8..4096, got " + imageSize);
    require(resize.equals("shortest_side"), "resize must be \"shortest_side\", got \"" + resize + "\"");
    require(interpolation.equals("bicubic"), "interpolation must be \"bicubic\", got \"" + interpolation + "\"");
    require(crop.equals("center"), "crop must be \"center\", got \"" + crop + "\"");
    require(mean.length == 3 && std.length == 3, "mean and std need 3 values each");
    for (float s : std) {
      require(s > 0, "std values must be > 0");
    }
    require(contextLength >= 2 && contextLength <= 1024, "context_length must be in 2..1024, got " + contextLength);
    require(tokenizer.equals("clip-bpe-49408"), "tokenizer must be \"clip-bpe-49408\", got \"" + tokenizer + "\"");
    int previous = 1;
    for (int len : textLengths) {
      require(len > previous && len <= contextLength, "text_lengths must ascend within 2..context_length: " + textLengths);
      previous = len;
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
