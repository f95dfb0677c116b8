"""Runs a Milvus Lite 3.x server for the clip-search JVM that started this script.

Usage: python lite_launcher.py DATA_DIR

Protocol with the parent (dev.clipsearch.store.LiteLauncher):
  * stdout carries exactly ONE JSON line, then nothing ever again:
      {"uri": "http://127.0.0.1:PORT", "port": PORT, "version": "3.x", "pid": PID}  when serving, or
      {"error": "...", "kind": "missing" | "locked" | "failed"}                      when it could not start.
  * The server stops cleanly (server.stop + db.close, which releases the data dir LOCK) on SIGTERM or EOF on stdin.
    SIGINT is ignored: a terminal's Ctrl-C reaches us too, and the parent must be able to finish its last write. The parent holds our stdin open, so if the JVM dies (even kill -9) the pipe closes and we stop.
  * Logs go to stderr as "LEVEL name: message"; the parent forwards them to slf4j.
"""
import json
import logging
import os
import signal
import sys
import threading


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
    # Nothing may reach stdout after the handshake: once the parent is gone a late write raises BrokenPipeError
    # and turns a clean stop into exit code 1 (docs/storage.md, "The Milvus Lite child process"). Point fd 1 at
    # /dev/null for good.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")


def main():
    if len(sys.argv) != 2:
        say({"error": "usage: lite_launcher.py DATA_DIR", "kind": "failed"})
        return 2
    data_dir = os.path.abspath(sys.argv[1])
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        import milvus_lite
        from milvus_lite.adapter.grpc.server import start_server_in_thread
    except ImportError as e:
        say({"error": "%s: %s" % (type(e).__name__, e), "kind": "missing"})
        return 3
    try:
        # port 0: the OS picks a free port, so two instances (or tests in parallel) never collide.
        server, db, port = start_server_in_thread(data_dir=data_dir, host="127.0.0.1", port=0)
    except milvus_lite.DataDirLockedError as e:
        say({"error": str(e), "kind": "locked"})
        return 4
    except Exception as e:  # bad path, permissions, corrupt manifest...: report instead of a bare traceback
        say({"error": "%s: %s" % (type(e).__name__, e), "kind": "failed"})
        return 5

    # A signal handler only flips a flag: calling Event.set() from a handler can deadlock if the signal lands while
    # the main thread holds the Event's internal lock. The stdin watcher runs in its own thread and may use the Event.
    signalled = []
    signal.signal(signal.SIGTERM, lambda signum, frame: signalled.append(signum))
    # Ctrl-C in a terminal sends SIGINT to the whole foreground process group, this child included. The JVM handles
    # it by finishing its pending write and then closing our stdin; stopping here first would make that write fail.
    # The parent always ends us (stdin EOF, or SIGTERM as a fallback), so ignoring SIGINT cannot leave us running.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin_closed = threading.Event()

    def watch_stdin():
        while os.read(0, 4096):
            pass
        stdin_closed.set()

    threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
    say({"uri": "http://127.0.0.1:%d" % port, "port": port, "version": milvus_lite.__version__, "pid": os.getpid()})
    log = logging.getLogger("lite_launcher")
    log.info("Milvus Lite %s serving %s on 127.0.0.1:%d", milvus_lite.__version__, data_dir, port)

    while not signalled and not stdin_closed.wait(0.2):
        pass
    log.info("stopping (%s)", "signal %d" % signalled[0] if signalled else "stdin closed")
    server.stop(grace=2).wait()
    db.close()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
