# clip-search on CPU: the server jar (with the native image library), Milvus Lite for the embedded default store,
# the web page and Gradio's frontend. Built from a clean clone (.dockerignore keeps .cache, target and data out).
#
#   docker build -t clip-search .
#   docker run -p 7860:7860 -v "$PWD/models:/app/models:ro" -v "$PWD/photos:/images:ro" -v clip-data:/data \
#     clip-search serve --images /images
#
# The model: the image holds none. Mount a folder holding clip-vit-b-32.pt and its .json spec at /app/models (the
# default --model is /app/models/clip-vit-b-32.pt; src/scripts/export-model.sh --out models/clip-vit-b-32.pt writes
# them), or pass --model for another file, or build src/docker/model.Dockerfile on top of this image to bake the export
# in. The port opens at once; a folder given with --images is ingested in the background (GET /readyz shows it).
# A Milvus server instead of Lite: src/docker/compose.yaml. NVIDIA GPUs: src/docker/cuda.Dockerfile.
#
# BASE and BUILD_BASE name the base images (defaults from Docker Hub); src/scripts/docker-check.sh builds with
# local ones where no registry can be reached. Both are Debian 12: the native library links the distribution's
# libjpeg62-turbo, libpng16, libgif7 and libwebp7, so it runs on the distribution it was built on, and the Milvus
# Lite venv made in the build stage runs on the same Python.
ARG BUILD_BASE=debian:bookworm
ARG BASE=debian:bookworm-slim

FROM ${BUILD_BASE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven python3 python3-venv unzip ca-certificates \
      cmake make g++ libjpeg62-turbo-dev libpng-dev libgif-dev libwebp-dev \
    && rm -rf /var/lib/apt/lists/*
# Built where it will run (/app), so the virtualenv that setup.sh makes can be copied as it is.
WORKDIR /app
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY . .
# setup.sh: what serving needs (Milvus Lite venv, vocabulary, the page, Gradio's frontend), nothing test-only.
# -Dnative.required=true: an image without the native image library is a build failure, not a silent fallback.
RUN bash src/scripts/setup.sh \
    && mvn -B -ntp -Dmaven.test.skip=true -Dnative.required=true package
# LibTorch's natives, extracted once here rather than by every container at its first start.
RUN java -Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
      -cp target/clip-search.jar src/docker/PrefetchNatives.java

FROM ${BASE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless python3 libjpeg62-turbo libpng16-16 libgif7 libwebp7 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app clip
WORKDIR /app
COPY --from=build /app/target/clip-search.jar /app/clip-search.jar
COPY --from=build /app/ui/dist /app/ui/dist
COPY --from=build /app/.cache/venv /app/.cache/venv
COPY --from=build /app/.cache/gradio-frontend /app/.cache/gradio-frontend
COPY --from=build --chown=clip /app/javacpp-cache /app/javacpp-cache
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME=/app CLIPSRV_DATA_DIR=/data CLIPSRV_HOST=0.0.0.0
RUN mkdir -p /data /app/models && chown -R clip /data
USER clip
VOLUME /data
EXPOSE 7860
# Liveness: the port opens before a background ingest finishes, so a large --images folder never fails this check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:7860/healthz', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["java", "-jar", "/app/clip-search.jar"]
CMD ["serve"]
