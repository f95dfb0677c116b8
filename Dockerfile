# clip-search: the server jar, Milvus Lite for the embedded default, and a pre-extracted JavaCPP cache.
# Build:  docker build -t clip-search .
# Run:    docker run -p 7860:7860 -v $PWD/models:/models -v $PWD/images:/images -v clip-data:/data clip-search \
#           serve --model /models/clip-vit-b-32.pt --images /images --host 0.0.0.0
# GPU:    docker build --build-arg MAVEN_PROFILES=gpu ... on a CUDA 13.1 + cuDNN 9 base (see README, "GPU").

FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=""
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv unzip && rm -rf /var/lib/apt/lists/*
COPY pom.xml .
RUN mvn -B -q dependency:go-offline ${MAVEN_PROFILES:+-P$MAVEN_PROFILES}
COPY src src
COPY models models
COPY native native
COPY ui ui
RUN bash src/scripts/setup.sh && mvn -B -q -DskipTests ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app clip
WORKDIR /app
COPY --from=build /src/target/clip-search.jar /app/clip-search.jar
COPY --from=build /src/src/scripts/requirements.txt /app/requirements.txt
COPY --from=build /src/ui /app/ui
# Milvus Lite (the embedded default) in its own virtualenv.
RUN python3 -m venv /app/.cache/venv && /app/.cache/venv/bin/pip install -q --no-cache-dir -r /app/requirements.txt
# Extract LibTorch's natives at build time, not at every start (and never next to a system libtorch).
ENV JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/javacpp-cache -Dorg.bytedeco.javacpp.maxPhysicalBytes=0" \
    OMP_WAIT_POLICY=PASSIVE CLIPSRV_HOME=/app CLIPSRV_DATA_DIR=/data CLIPSRV_HOST=0.0.0.0
RUN java -cp /app/clip-search.jar org.bytedeco.javacpp.Loader org.bytedeco.pytorch.global.torch >/dev/null \
    && mkdir -p /data && chown -R clip /data /app/javacpp-cache
USER clip
VOLUME /data
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD ["python3", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:7860/health', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["java", "-jar", "/app/clip-search.jar"]
CMD ["serve"]
