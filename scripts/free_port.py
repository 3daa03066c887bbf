#!/usr/bin/python3
"""Prints a TCP port of 127.0.0.1 that nothing listens on, for a server that a test or a
benchmark starts next.

The port is taken below the kernel's ephemeral range. The kernel picks every connection's
source port, and every port-0 bind, from that range; a port below it cannot be handed to a
parallel suite's client in the moment between this choice and the server's own bind."""

import random
import socket
import sys


def ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def unused(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def main() -> int:
    low = ephemeral_low()
    if low > 11024:
        for _ in range(1000):
            port = random.randint(max(1024, low - 12000), low - 1)
            if unused(port):
                print(port)
                return 0
    # No room below the range, or nothing free there: any port the kernel gives.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
