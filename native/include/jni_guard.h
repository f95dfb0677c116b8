// Exception translation at the JNI boundary. Every native entry point wraps its body in API_BEGIN()/API_END(env):
// no C++ exception may cross into the JVM (that would abort it). ImageError becomes
// dev.clipsearch.nativelib.NativeImageException with the error's kind; anything else becomes the same exception
// with kind INTERNAL. A Java exception already pending (from a JNI call) is left as it is.
#pragma once

#include <jni.h>

#include <exception>
#include <new>

#include "clipimg/errors.h"

namespace jniguard {

// Thrown by C++ code that found a Java exception pending after a JNI call; API_END returns and lets it propagate.
struct JavaPending {};

inline void check_pending(JNIEnv* env) {
  if (env->ExceptionCheck()) throw JavaPending{};
}

inline void throw_java(JNIEnv* env, clipimg::ErrorKind kind, const char* message) {
  if (env->ExceptionCheck()) return;
  jclass type = env->FindClass("dev/clipsearch/nativelib/NativeImageException");
  if (type == nullptr) return;  // NoClassDefFoundError is pending
  jmethodID init = env->GetMethodID(type, "<init>", "(ILjava/lang/String;)V");
  jstring text = env->NewStringUTF(message);
  if (init == nullptr || text == nullptr) return;
  auto error = static_cast<jthrowable>(env->NewObject(type, init, static_cast<jint>(kind), text));
  if (error != nullptr) env->Throw(error);
}

}  // namespace jniguard

#define API_BEGIN() try {
#define API_END(env)                                                                                  \
  }                                                                                                   \
  catch (const jniguard::JavaPending&) {                                                              \
  }                                                                                                   \
  catch (const clipimg::ImageError& e) {                                                              \
    jniguard::throw_java(env, e.kind(), e.what());                                                    \
  }                                                                                                   \
  catch (const std::bad_alloc&) {                                                                     \
    jniguard::throw_java(env, clipimg::ErrorKind::kInternal, "native image pipeline: out of memory"); \
  }                                                                                                   \
  catch (const std::exception& e) {                                                                   \
    jniguard::throw_java(env, clipimg::ErrorKind::kInternal, e.what());                               \
  }                                                                                                   \
  catch (...) {                                                                                       \
    jniguard::throw_java(env, clipimg::ErrorKind::kInternal, "native image pipeline: unknown error"); \
  }
