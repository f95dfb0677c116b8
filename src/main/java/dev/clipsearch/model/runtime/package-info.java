/**
 * LibTorch through JavaCPP: {@link dev.clipsearch.model.runtime.ClipModel} loads a TorchScript CLIP onto the
 * {@link dev.clipsearch.model.runtime.ComputeDevice} that {@link dev.clipsearch.model.runtime.DeviceSelector} picked
 * and runs both towers from pre-allocated staging buffers. The only package that imports {@code org.bytedeco.*};
 * every native buffer here has one owner ({@code ClipModel}), and every call runs in a {@code PointerScope}.
 *
 * <p>Depends on {@code dev.clipsearch.model} (ModelSpec, ModelException, Vectors) and {@code dev.clipsearch.model.text}
 * (the special token ids used at warm-up); not on {@code model.image}: pixels arrive as floats.
 */
package dev.clipsearch.model.runtime;
