"""A stand-in for systemd's notification socket: binds a unix datagram socket at argv[1] and
appends each message it receives (sd_notify's READY=1, WATCHDOG=1, STOPPING=1...) to argv[2],
one per line, until killed."""
import socket
import sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    print("listening", file=out)
    while True:
        data = sock.recv(4096)
        for line in data.decode("utf-8", "replace").splitlines():
            print(line, file=out)
