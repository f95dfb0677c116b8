/**
 * The CLIP model, in three sub-packages, and the few types they share: {@link dev.clipsearch.model.ModelSpec} (what
 * a model file declares), {@link dev.clipsearch.model.ModelException} and {@link dev.clipsearch.model.Vectors}.
 *
 * <ul>
 *   <li>{@code model.text}: query text to token ids, exactly as open_clip's tokenizer (with the ftfy port in
 *       {@code model.text.ftfy} and Python's character classes in {@code model.text.unicode}).
 *   <li>{@code model.image}: encoded image bytes to the model's input pixels, exactly as open_clip's transform on a
 *       Pillow image (pure Java, or the native library in {@code dev.clipsearch.nativelib}).
 *   <li>{@code model.runtime}: LibTorch through JavaCPP; loads the TorchScript module and runs both towers.
 * </ul>
 *
 * <p>Dependencies: this package depends on nothing of the project. {@code text} and {@code image} depend only on it
 * (and {@code image} on {@code nativelib}); {@code runtime} on it and {@code text}. Nothing under {@code model} knows
 * the web, CLI, store, batching or embedding layers, and {@code runtime} is the only package that imports
 * {@code org.bytedeco.*}.
 */
package dev.clipsearch.model;
