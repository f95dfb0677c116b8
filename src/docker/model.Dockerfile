# The clip-search image with a CLIP model baked in: exports it with open_clip in a throw-away stage (torch and the
# weights, a few GB, never reach the final image) and adds only the TorchScript file and its spec.
#
#   docker build -t clip-search .                                               # the server image first
#   docker build -f src/docker/model.Dockerfile -t clip-search:vit-b-32 .           # + OpenAI's ViT-B/32 (default)
#   docker build -f src/docker/model.Dockerfile --build-arg MODEL=ViT-B-16-quickgelu -t clip-search:vit-b-16 .
#   docker run -p 7860:7860 -v "$PWD/photos:/images:ro" -v clip-data:/data clip-search:vit-b-32 serve --images /images
#
# The export stage downloads the weights (open_clip fetches them from its model hub), so the build needs internet.
# MODEL and PRETRAINED are src/scripts/export-model.sh's --model and --pretrained (see README "Models").
ARG IMAGE=clip-search
ARG BUILD_BASE=debian:bookworm

FROM ${BUILD_BASE} AS export
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY models models
COPY src/scripts/export-model.sh src/scripts/lib.sh src/scripts/
ARG MODEL=ViT-B-32-quickgelu
ARG PRETRAINED=openai
RUN bash src/scripts/export-model.sh --model "$MODEL" --pretrained "$PRETRAINED" --out /out/clip.pt

FROM ${IMAGE}
COPY --from=export /out/clip.pt /out/clip.pt.json /app/models/
ENV CLIPSRV_MODEL=/app/models/clip.pt
