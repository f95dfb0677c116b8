// JNI entry points of dev.clipsearch.nativelib.NativeImageOps. Thin: copy the encoded bytes out of the Java heap
// (no GetPrimitiveArrayCritical, since decoding a large image would hold the GC off for its whole duration), run the
// pipeline, and write float32 CHW straight into the caller's memory: a direct buffer, a raw address (a LibTorch
// staging tensor), or a float[] slot.
#include <jni.h>

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include <gif_lib.h>
#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

#include "clipimg/pipeline.h"
#include "jni_guard.h"

namespace {

using clipimg::ErrorKind;

std::vector<uint8_t> copy_bytes(JNIEnv* env, jbyteArray src, jint offset, jint length) {
  if (src == nullptr) clipimg::bad_image("empty image");
  std::vector<uint8_t> bytes(static_cast<size_t>(length < 0 ? 0 : length));
  env->GetByteArrayRegion(src, offset, length, reinterpret_cast<jbyte*>(bytes.data()));  // checks the bounds
  jniguard::check_pending(env);
  return bytes;
}

// The transform's parameters travel as (size, fast, maxPixels, maxBytes, float[6] {mean..., std...}).
clipimg::Transform transform_of(JNIEnv* env, jint size, jboolean fast, jlong max_pixels, jlong max_bytes,
                                jfloatArray mean_std) {
  clipimg::Transform t;
  t.size = size;
  t.fast = fast == JNI_TRUE;
  t.decode.max_pixels = max_pixels;
  t.decode.max_bytes = max_bytes;
  if (size < 1 || size > 4096) clipimg::fail(ErrorKind::kInternal, "image size out of range");
  if (mean_std != nullptr) {
    float values[6];
    env->GetFloatArrayRegion(mean_std, 0, 6, values);
    jniguard::check_pending(env);
    for (int c = 0; c < 3; c++) {
      t.mean[c] = values[c];
      t.std[c] = values[3 + c];
    }
  }
  return t;
}

size_t output_bytes(jint size) {
  return sizeof(float) * 3 * static_cast<size_t>(size) * size;
}

}  // namespace

extern "C" {

JNIEXPORT void JNICALL Java_dev_clipsearch_nativelib_NativeImageOps_preprocessToAddress(
    JNIEnv* env, jclass, jbyteArray src, jint offset, jint length, jint size, jboolean fast, jlong max_pixels,
    jlong max_bytes, jfloatArray mean_std, jlong address, jlong capacity_bytes) {
  API_BEGIN()
  const clipimg::Transform t = transform_of(env, size, fast, max_pixels, max_bytes, mean_std);
  if (address == 0 || address % alignof(float) != 0 || capacity_bytes < 0 ||
      static_cast<size_t>(capacity_bytes) < output_bytes(size)) {
    clipimg::fail(ErrorKind::kInternal, "destination is null, misaligned or smaller than 3 * size * size floats");
  }
  const std::vector<uint8_t> bytes = copy_bytes(env, src, offset, length);
  clipimg::preprocess(bytes.data(), bytes.size(), t, reinterpret_cast<float*>(static_cast<uintptr_t>(address)));
  API_END(env)
}

JNIEXPORT void JNICALL Java_dev_clipsearch_nativelib_NativeImageOps_preprocessToBuffer(
    JNIEnv* env, jclass, jbyteArray src, jint offset, jint length, jint size, jboolean fast, jlong max_pixels,
    jlong max_bytes, jfloatArray mean_std, jobject buffer, jlong byte_offset, jlong capacity_bytes) {
  API_BEGIN()
  const clipimg::Transform t = transform_of(env, size, fast, max_pixels, max_bytes, mean_std);
  // The capacity comes from Java in bytes: JNI reports a direct buffer's capacity in elements of its own type.
  auto* base = static_cast<uint8_t*>(buffer != nullptr ? env->GetDirectBufferAddress(buffer) : nullptr);
  if (base == nullptr) clipimg::fail(ErrorKind::kInternal, "destination is not a direct buffer");
  if (byte_offset < 0 || capacity_bytes < byte_offset ||
      static_cast<size_t>(capacity_bytes - byte_offset) < output_bytes(size) ||
      reinterpret_cast<uintptr_t>(base + byte_offset) % alignof(float) != 0) {
    clipimg::fail(ErrorKind::kInternal, "destination slot is misaligned or outside the buffer");
  }
  const std::vector<uint8_t> bytes = copy_bytes(env, src, offset, length);
  clipimg::preprocess(bytes.data(), bytes.size(), t, reinterpret_cast<float*>(base + byte_offset));
  API_END(env)
}

JNIEXPORT void JNICALL Java_dev_clipsearch_nativelib_NativeImageOps_preprocessToArray(
    JNIEnv* env, jclass, jbyteArray src, jint offset, jint length, jint size, jboolean fast, jlong max_pixels,
    jlong max_bytes, jfloatArray mean_std, jfloatArray dst, jint dst_offset) {
  API_BEGIN()
  const clipimg::Transform t = transform_of(env, size, fast, max_pixels, max_bytes, mean_std);
  const std::vector<uint8_t> bytes = copy_bytes(env, src, offset, length);
  std::vector<float> out(3 * static_cast<size_t>(size) * size);
  clipimg::preprocess(bytes.data(), bytes.size(), t, out.data());
  env->SetFloatArrayRegion(dst, dst_offset, static_cast<jsize>(out.size()), out.data());  // checks the bounds
  jniguard::check_pending(env);
  API_END(env)
}

JNIEXPORT jbyteArray JNICALL Java_dev_clipsearch_nativelib_NativeImageOps_rgbCrop(JNIEnv* env, jclass, jbyteArray src,
                                                                                  jint size, jboolean fast,
                                                                                  jlong max_pixels, jlong max_bytes) {
  API_BEGIN()
  const clipimg::Transform t = transform_of(env, size, fast, max_pixels, max_bytes, nullptr);
  const std::vector<uint8_t> bytes = copy_bytes(env, src, 0, src != nullptr ? env->GetArrayLength(src) : 0);
  const std::vector<uint8_t> rgb = clipimg::preprocess_rgb(bytes.data(), bytes.size(), t);
  jbyteArray out = env->NewByteArray(static_cast<jsize>(rgb.size()));
  jniguard::check_pending(env);
  env->SetByteArrayRegion(out, 0, static_cast<jsize>(rgb.size()), reinterpret_cast<const jbyte*>(rgb.data()));
  return out;
  API_END(env)
  return nullptr;
}

JNIEXPORT jstring JNICALL Java_dev_clipsearch_nativelib_NativeImageOps_libraryVersions(JNIEnv* env, jclass) {
  API_BEGIN()
  const int webp = WebPGetDecoderVersion();
  const std::string text = "libjpeg-turbo (libjpeg API " + std::to_string(JPEG_LIB_VERSION) + "), libpng " +
                           png_get_libpng_ver(nullptr) + ", libwebp " + std::to_string(webp >> 16) + "." +
                           std::to_string(webp >> 8 & 0xFF) + "." + std::to_string(webp & 0xFF) + ", giflib " +
                           std::to_string(GIFLIB_MAJOR) + "." + std::to_string(GIFLIB_MINOR);
  return env->NewStringUTF(text.c_str());
  API_END(env)
  return nullptr;
}

}  // extern "C"
