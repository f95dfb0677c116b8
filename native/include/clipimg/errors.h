// The one error type of the native pipeline. Every failure, whatever library it comes from, becomes an ImageError
// with a kind that the JNI layer maps onto the Java exception (dev.clipsearch.nativelib.NativeImageException).
#pragma once

#include <stdexcept>
#include <string>

namespace clipimg {

// Values are part of the JNI contract: NativeImageException.Kind uses the same numbers.
enum class ErrorKind { kBadImage = 1, kTooLarge = 2, kUnsupported = 3, kInternal = 4 };

class ImageError : public std::runtime_error {
 public:
  ImageError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) {
  throw ImageError(kind, message);
}
[[noreturn]] inline void bad_image(const std::string& message) {
  fail(ErrorKind::kBadImage, message);
}
// A valid file in a variant this library leaves to the Java path (e.g. RLE BMP, animated WebP).
[[noreturn]] inline void unsupported(const std::string& message) {
  fail(ErrorKind::kUnsupported, message);
}

}  // namespace clipimg
