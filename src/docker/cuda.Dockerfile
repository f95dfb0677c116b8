# clip-search on NVIDIA GPUs: the CUDA build of LibTorch (mvn -Pgpu) on NVIDIA's CUDA 13.1 + cuDNN 9 runtime image.
#
#   docker build -f src/docker/cuda.Dockerfile -t clip-search:cuda .
#   docker run --gpus all -p 7860:7860 -v "$PWD/models:/app/models:ro" -v "$PWD/photos:/images:ro" \
#     -v clip-data:/data clip-search:cuda serve --images /images
#
# What the host needs:
#   * an NVIDIA GPU that CUDA 13 supports (Turing, compute capability 7.5, or newer);
#   * an NVIDIA driver for CUDA 13.1 (the R580 series or newer); the image brings CUDA itself, cuBLAS and cuDNN 9,
#     which LibTorch's CUDA build loads from the system (JavaCPP's cuda-redist jar has the rest of CUDA);
#   * the NVIDIA Container Toolkit, so that `docker run --gpus all` (or compose's `gpus: all`) passes the GPU in.
# The server is started with --device cuda here, so a container started without a GPU stops with a clear error
# instead of running on the CPU. --image-transfer uint8 sends 4x fewer bytes to the GPU per image (README options).
#
# Both stages are Ubuntu 24.04, the distribution of NVIDIA's image: the native image library links the system's
# libjpeg-turbo, libpng, giflib and libwebp, and the Milvus Lite venv from the build stage needs the same Python.
ARG BUILD_BASE=ubuntu:24.04
ARG BASE=nvidia/cuda:13.1.0-cudnn-runtime-ubuntu24.04

FROM ${BUILD_BASE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven python3 python3-venv unzip ca-certificates \
      cmake make g++ libjpeg-turbo8-dev libpng-dev libgif-dev libwebp-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pom.xml .
RUN mvn -B -ntp -Pgpu dependency:go-offline
COPY . .
RUN bash src/scripts/setup.sh \
    && mvn -B -ntp -Pgpu -Dmaven.test.skip=true -Dnative.required=true package
# LibTorch's natives, extracted once here rather than by every container at its first start. Loading them fails here,
# where no GPU driver (libcuda) is mounted; the extraction before it is what matters.
RUN (java -Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
      -cp target/clip-search.jar src/docker/PrefetchNatives.java || true) && mkdir -p /app/javacpp-cache

FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless python3 libjpeg-turbo8 libpng16-16t64 libgif7 libwebp7 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app clip
WORKDIR /app
COPY --from=build /app/target/clip-search.jar /app/clip-search.jar
COPY --from=build /app/ui/dist /app/ui/dist
COPY --from=build /app/.cache/venv /app/.cache/venv
COPY --from=build /app/.cache/gradio-frontend /app/.cache/gradio-frontend
COPY --from=build --chown=clip /app/javacpp-cache /app/javacpp-cache
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME=/app CLIPSRV_DATA_DIR=/data CLIPSRV_HOST=0.0.0.0 \
    CLIPSRV_DEVICE=cuda
RUN mkdir -p /data /app/models && chown -R clip /data
USER clip
VOLUME /data
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:7860/healthz', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["java", "-jar", "/app/clip-search.jar"]
CMD ["serve"]
