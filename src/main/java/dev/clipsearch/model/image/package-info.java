/**
 * Encoded image bytes to the model's input: {@link dev.clipsearch.model.image.ImagePreprocessor} decodes (JPEG, PNG,
 * GIF, BMP, WebP), resizes and crops as open_clip's transform does on a Pillow image, pixel for pixel. Two
 * implementations with the same output: {@link dev.clipsearch.model.image.JavaImagePreprocessor} (the Pillow emulation:
 * {@code Pillow*} modes and conversions, {@code Resample*} filters) and the native library's, used through
 * {@code dev.clipsearch.nativelib} when it loads. Bad input is a {@link dev.clipsearch.model.image.BadImageException}.
 *
 * <p>Depends on {@code dev.clipsearch.model} (ModelSpec) and {@code dev.clipsearch.nativelib}; never on JavaCPP.
 */
package dev.clipsearch.model.image;
