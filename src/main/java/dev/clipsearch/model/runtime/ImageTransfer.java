package dev.clipsearch.model.runtime;

/**
 * How images travel from the staging buffer to the device. {@code UINT8} ships the resized pixel bytes (4x less
 * host-to-device traffic) and normalises on the device; {@code FLOAT32} ships the normalised floats. The bytes are
 * recovered exactly from the preprocessor's float32 values ({@link PixelBytes}), so both give the same vectors.
 */
public enum ImageTransfer {
  FLOAT32, UINT8
}
