"""Runs a Milvus standalone from the PyPI package `milvus` (2.3.5) for the integration tests and benchmarks.

Usage: python milvus_standalone.py --data DIR --bin DIR [--auth] [--ports JSON] [--extract-only]

  --data DIR      the server's data, logs and config (milvus.yaml is written to DIR/configs)
  --bin DIR       where the server binary and its libraries are unpacked once (they ship LZMA-packed in the wheel,
                  ~300 MB unpacked); DIR/bin is linked to it, so each data directory does not unpack its own copy
  --auth          common.security.authorizationEnabled = true (then the user root, password Milvus, is the admin)
  --ports JSON    the ports to use, as printed by an earlier run: a restart on the same data keeps its addresses
  --extract-only  unpack the binaries into --bin and exit (the setup script does this once)

The package's own `milvus-server` command probes fixed default ports upwards (19530, 2379, ...) and leaves the embedded
etcd on 2379/2380 whatever it is told, so two servers on one machine collide; it also leaves its `milvus run
standalone` child running when it is killed. This launcher instead:
  * takes a free port for every listener (the OS picks them), including etcd's client and peer ports through an etcd
    config file (Milvus reads it from etcd.config.path), and has the components call each other on 127.0.0.1 (by
    default they register the host's LAN address);
  * makes the kernel kill the child when this launcher dies (prctl PR_SET_PDEATHSIG), and stops it on SIGTERM or EOF
    on stdin, so the JVM that holds our stdin cannot leave a server behind;
  * prints exactly one JSON line on stdout: {"uri": ..., "ports": {...}, "pid": CHILD_PID, "version": ..., "start_s":
    ...} once the server answers its health check, or {"error": ...} if it could not start.
"""
import argparse
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

PORT_KEYS = ("proxy_port", "proxy_internal_port", "etcd_port", "etcd_peer_port", "root_coord_port",
             "query_coord_port", "query_node_port", "index_coord_port", "index_node_port", "data_coord_port",
             "data_node_port", "metrics_port")
PR_SET_PDEATHSIG = 1


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)  # nothing may reach a parent that has gone (BrokenPipe)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def die_with_parent():
    """Runs in the child between fork and exec: SIGKILL it when this launcher dies, however it dies."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=False)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--auth", action="store_true")
    ap.add_argument("--ports")
    ap.add_argument("--extract-only", action="store_true")
    args = ap.parse_args()
    try:
        import milvus
    except ImportError as e:
        say({"error": "the milvus package is not installed in %s (%s): run src/scripts/setup.sh" % (sys.executable, e)})
        return 3
    bin_root = os.path.abspath(args.bin)
    milvus._initialize_data_files(bin_root)  # idempotent: checks each file's md5 stamp
    if args.extract_only:
        return 0

    data = os.path.abspath(args.data)
    os.makedirs(os.path.join(data, "configs"), exist_ok=True)
    link = os.path.join(data, "bin")
    if not os.path.islink(link):
        os.symlink(os.path.join(bin_root, "bin"), link)
    ports = json.loads(args.ports) if args.ports else dict(zip(PORT_KEYS, free_ports(len(PORT_KEYS))))

    # The embedded etcd listens where its own config file says (default 2379/2380), not where etcd.endpoints points.
    etcd_conf = os.path.join(data, "configs", "embed-etcd.yaml")
    with open(etcd_conf, "w", encoding="utf-8") as f:
        client, peer = "http://127.0.0.1:%d" % ports["etcd_port"], "http://127.0.0.1:%d" % ports["etcd_peer_port"]
        f.write("name: default\nlisten-client-urls: %s\nadvertise-client-urls: %s\nlisten-peer-urls: %s\n"
                "initial-advertise-peer-urls: %s\ninitial-cluster: default=%s\n" % (client, client, peer, peer, peer))
    template = os.path.join(data, "configs", "milvus.yaml.template")
    with open(os.path.join(os.path.dirname(milvus.__file__), "data", "config.yaml.template"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("etcd:\n  endpoints:", "etcd:\n  config:\n    path: %s\n  endpoints:" % etcd_conf, 1)
    # Each component registers an address for the others to call; by default the host's first unicast address (the
    # LAN address). Pin them to loopback: all traffic of a test server stays on this machine's loopback interface.
    text = text.replace("  ip: # if not specify address", "  ip: 127.0.0.1 # if not specify address")
    with open(template, "w", encoding="utf-8") as f:
        f.write(text)

    config = milvus.MilvusServerConfig(template=template, data_dir=data,
                                       **{k: v for k, v in ports.items() if k not in ("etcd_peer_port", "metrics_port")})
    config.glog_conf_file = os.path.join(os.path.dirname(milvus.__file__), "data", "glog.conf")  # unset with a template
    config.set("authorization_enabled", bool(args.auth))

    def try_bind(port):
        # The package checks each port by binding it without SO_REUSEADDR, which fails for a few minutes after a
        # killed server on the same port (TIME_WAIT), though Milvus itself (Go) would bind it: allow the reuse.
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
            return s
        except OSError:
            s.close()
            return None

    config.try_bind_port = try_bind
    server = milvus.MilvusServer(config, wait_for_started=False)
    server.webservice_port = ports["metrics_port"]
    popen = subprocess.Popen

    def popen_dying_with_us(*a, **kw):
        kw["preexec_fn"] = die_with_parent
        return popen(*a, **kw)

    subprocess.Popen = popen_dying_with_us
    t0 = time.time()
    try:
        server.start()
        server.wait_started(timeout=int(os.environ.get("MILVUS_START_TIMEOUT_S", "180")) * 1000)
    except Exception as e:  # port taken, timeout, crashed child: say why instead of a traceback
        log = os.path.join(data, "logs", "milvus-stderr.log")
        tail = ""
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                tail = f.read()[-2000:]
        say({"error": "%s: %s" % (type(e).__name__, e), "log_tail": tail})
        server.stop()
        return 5
    finally:
        subprocess.Popen = popen

    signalled = []
    signal.signal(signal.SIGTERM, lambda signum, frame: signalled.append(signum))
    signal.signal(signal.SIGINT, lambda signum, frame: signalled.append(signum))
    stdin_closed = threading.Event()

    def watch_stdin():
        while os.read(0, 4096):
            pass
        stdin_closed.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    child = server.server_proc
    say({"uri": "http://127.0.0.1:%d" % ports["proxy_port"], "ports": ports, "pid": child.pid,
         "version": milvus.__version__, "start_s": round(time.time() - t0, 1)})
    while not signalled and not stdin_closed.wait(0.2) and child.poll() is None:
        pass
    if child.poll() is None:
        child.terminate()  # Milvus stops its components in order on SIGTERM
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
