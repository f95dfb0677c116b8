package dev.clipsearch.gradio;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One Gallery entry, identical in 4.x/5.x/6.x: {@code {"image": FileData, "caption": str|null}}. */
@JsonPropertyOrder({"image", "caption"})
public record GalleryItem(@JsonProperty("image") FileData image, @JsonProperty("caption") String caption) {}
