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
  * starts again on fresh ports (up to 3 times, a fresh data directory only) when another process takes one of the
    free ports between their choice and the server's bind, which happens on a busy machine; a child that dies while
    starting is reported at once rather than after the whole start timeout;
  * prints exactly one JSON line on stdout: {"uri": ..., "ports": {...}, "pid": CHILD_PID, "version": ..., "start_s":
    ...} once the server answers its health check, or {"error": ...} if it could not start.
"""
import argparse
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

START_ATTEMPTS = 3
PORT_TAKEN = "address already in use"
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


def ephemeral_low():
    """The lowest port the kernel gives outgoing connections (Linux default 32768)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_ports(n):
    """n distinct ports that bind now, drawn below the kernel's range for outgoing connections.

    A port the kernel hands out (bind to 0) is from that range, and so is every outgoing connection's own port: on a
    machine opening thousands of connections (a load test beside this) one of them took a chosen port before the
    server bound it. Below the range only another listening server can take it."""
    high = max(ephemeral_low(), 11000)
    chosen = []
    while len(chosen) < n:
        port = random.randrange(10000, high)
        if port in chosen:
            continue
        s = socket.socket()
        try:
            s.bind(("", port))
            chosen.append(port)
        except OSError:
            pass
        finally:
            s.close()
    return chosen


def die_with_parent():
    """Runs in the child between fork and exec: SIGKILL it when this launcher dies, however it dies."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def launch(data, ports, auth, deadline):
    """Writes the configs for these ports and starts the server: (server, None) once it answers its health check,
    else (None, {"error": ..., "log_tail": ..., "port_taken": bool}) with the server stopped."""
    import milvus  # main() has imported it, or said why it could not
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
    config.set("authorization_enabled", bool(auth))

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
    try:
        server.start()
        wait_started(server, data, deadline)
        return server, None
    except Exception as e:  # port taken, timeout, crashed child: say why instead of a traceback
        log = read_log(data)
        server.stop()
        # The package refuses a port it cannot bind ("... but bind failed"); a component that loses one later logs it.
        taken = "bind failed" in str(e) or port_taken(data) is not None
        return None, {"error": "%s: %s" % (type(e).__name__, e), "log_tail": log[-2000:], "port_taken": taken}
    finally:
        subprocess.Popen = popen


def read_log(data, name="stderr"):
    log = os.path.join(data, "logs", "milvus-%s.log" % name)
    if not os.path.exists(log):
        return ""
    with open(log, encoding="utf-8", errors="replace") as f:
        return f.read()


def port_taken(data):
    """The line of the server's logs that says a port was taken (Milvus logs it to stdout, then panics), or None."""
    for name in ("stdout", "stderr"):
        line = next((line for line in read_log(data, name).splitlines() if PORT_TAKEN in line), None)
        if line:
            return line
    return None


def wait_started(server, data, deadline):
    """The package's own wait, in short slices: it would wait out the whole timeout for a child that has died, or for a
    component that lost its port to another process and never becomes healthy."""
    while True:
        remaining_ms = int((deadline - time.time()) * 1000)
        try:
            server.wait_started(timeout=max(1, min(remaining_ms, 3000)))
            return
        except TimeoutError:
            if remaining_ms <= 3000:
                raise
            taken = port_taken(data)
            if taken:
                raise OSError("a port was taken by another process: " + taken.strip()[:300])
            code = server.server_proc.poll()
            if code is not None:
                raise RuntimeError("milvus run standalone exited with %s while starting" % code)


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
    pinned = json.loads(args.ports) if args.ports else None
    stored = os.path.join(data, "data")  # etcd's and the storage's files
    fresh = not os.path.exists(stored)
    deadline = time.time() + int(os.environ.get("MILVUS_START_TIMEOUT_S", "180"))
    t0 = time.time()
    for attempt in range(1, START_ATTEMPTS + 1):
        ports = pinned or dict(zip(PORT_KEYS, free_ports(len(PORT_KEYS))))
        server, error = launch(data, ports, args.auth, deadline)
        if server:
            break
        # Free ports are picked before the server binds them, so on a busy machine another process can take one in
        # between. Fresh ports fix that; pinned ones (a restart that must keep its address) cannot change.
        if not (error.get("port_taken") and pinned is None and fresh and attempt < START_ATTEMPTS
                and time.time() < deadline):
            error.pop("port_taken", None)
            say(error)
            return 5
        sys.stderr.write("milvus_standalone: a port was taken while the server started; retrying with fresh ports\n")
        shutil.rmtree(stored, ignore_errors=True)  # a new server: etcd must not keep the old ports' member record

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
