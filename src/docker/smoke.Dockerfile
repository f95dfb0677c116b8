# A smoke test of a built clip-search image, run as a build (src/scripts/docker-check.sh builds it): the build
# succeeds only when the server in the image answers. A build rather than `docker run` because it works wherever
# the image itself builds (podman with chroot isolation, where containers cannot be started).
#   docker build -f src/docker/smoke.Dockerfile --build-arg IMAGE=clip-search CONTEXT
# CONTEXT holds smoke.sh (src/docker/), model/ (one TorchScript file + spec) and images/ (a few photos).
ARG IMAGE=clip-search
FROM ${IMAGE}
COPY --chown=clip . /smoke/
RUN bash /smoke/smoke.sh
