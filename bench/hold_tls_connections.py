#!/usr/bin/env python3
"""Opens N idle TLS 1.3 connections to 127.0.0.1:PORT and prints two numbers:
the total VmRSS (KiB) of PID and its children before, and while all N are
open.

    hold_tls_connections.py PORT CAFILE PID [N=1000]

Each connection completes its handshake and then sends nothing (an idle
kept-alive client). Used by bench/https_vs_nginx.sh.
"""
import resource
import socket
import ssl
import subprocess
import sys
import time


def rss_kib(pid):
    children = subprocess.run(["pgrep", "-P", pid], capture_output=True, text=True).stdout.split()
    total = 0
    for p in [pid] + children:
        with open("/proc/%s/status" % p) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def main():
    port, cafile, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 100
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    before = rss_kib(pid)
    conns = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        conns.append(ctx.wrap_socket(s, server_hostname="127.0.0.1"))
    time.sleep(1)  # let the server settle (e.g. read the session tickets' ACKs)
    print(before, rss_kib(pid))
    for s in conns:
        s.close()


main()
