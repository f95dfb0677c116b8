# clip-search: the server jar (with the native image library), Milvus Lite for the embedded default, the web UI,
# and a pre-extracted JavaCPP cache.
#
# Build:  docker build -t clip-search .
# Run:    docker run -p 7860:7860 -v $PWD/models:/models:ro -v $PWD/images:/images:ro -v clip-data:/data clip-search \
#           serve --model /models/clip-vit-b-32.pt --images /images
# GPU:    docker build --build-arg MAVEN_PROFILES=gpu -t clip-search:gpu .   (LibTorch's CUDA build; the host needs the
#         NVIDIA container toolkit, and cuBLAS/cuDNN for CUDA 13.1 must be in the image or mounted — see README "GPU")
#
# Both stages are Debian 12, like the machines this project is built and tested on: the native library links the
# distribution's libjpeg62-turbo, libpng16, libgif7 and libwebp7, so it must run on the distribution it was built on.

FROM debian:bookworm AS build
ARG MAVEN_PROFILES=""
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jdk-headless maven python3 python3-venv unzip ca-certificates \
      cmake g++ libjpeg62-turbo-dev libpng-dev libgif-dev libwebp-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline ${MAVEN_PROFILES:+-P$MAVEN_PROFILES}
COPY src src
COPY models models
COPY native native
COPY ui ui
# The vocabulary step of setup.sh is all the jar needs from it (the test clients and browser stay out of the image),
# plus Gradio's frontend for `serve --ui gradio` and pages that embed the app (docs/gradio-frontend.md).
RUN mkdir -p src/scripts/setup.d.off && mv src/scripts/setup.d/*.sh src/scripts/setup.d.off/ \
    && bash src/scripts/setup.sh \
    && GRADIO_FRONTEND_VERSIONS=5.49.1 bash src/scripts/setup.d.off/35-gradio-frontend.sh /src \
    && mvn -B -q -DskipTests ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} package \
    && mkdir -p ui/dist && cp -r ui/src/. ui/dist/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless python3 python3-venv libjpeg62-turbo libpng16-16 libgif7 libwebp7 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app clip
WORKDIR /app
COPY --from=build /src/target/clip-search.jar /app/clip-search.jar
COPY --from=build /src/src/scripts/requirements.txt /app/requirements.txt
COPY --from=build /src/ui/dist /app/ui/dist
COPY --from=build /src/.cache/gradio-frontend /app/.cache/gradio-frontend
# Milvus Lite (the embedded default) in its own virtualenv, where the server looks for it (CLIPSRV_HOME/.cache/venv).
RUN python3 -m venv /app/.cache/venv && /app/.cache/venv/bin/pip install -q --no-cache-dir -r /app/requirements.txt
# Extract LibTorch's natives at build time rather than at every start.
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=20 CLIPSRV_HOME=/app CLIPSRV_DATA_DIR=/data CLIPSRV_HOST=0.0.0.0
RUN java -cp /app/clip-search.jar org.bytedeco.javacpp.Loader org.bytedeco.pytorch.global.torch >/dev/null \
    && mkdir -p /data && chown -R clip /data /app/javacpp-cache
USER clip
VOLUME /data
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:7860/healthz', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["java", "-jar", "/app/clip-search.jar"]
CMD ["serve"]
