"""A stand-in IUT for the probe before the first case: `answer` serves HTTP (404 to everything) and
prints READY with that port as both its DM and control port; `closed` prints READY with a port
nothing listens on. Both wait for SIGTERM."""
import http.server
import signal
import socket
import sys
import threading


class _NotFound(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_error(404)

    def log_message(self, *args):
        pass


def main(mode: str) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    if mode == "answer":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
    else:
        with socket.socket() as s:  # a port that was free a moment ago, and is closed again
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    print(f'READY {{"port": {port}, "control_port": {port}}}', flush=True)
    signal.pause()


if __name__ == "__main__":
    main(sys.argv[1])
