"""A stand-in peer for the command driver (docs/adapters.md): `serve FIFO` prints READY, reports
its pid on FIFO and waits for SIGTERM; `op NAME` prints the JSON answer of one operation."""
import json
import os
import signal
import sys


def serve(fifo: str) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    with open(fifo, "w", encoding="utf-8") as f:  # before READY: a peer stopped at once is still counted
        f.write(f"{os.getpid()}\n")
    print('READY {"port": 1, "control_port": 1}', flush=True)
    signal.pause()


ANSWERS = {"send_commands": {"batch": "b1"}, "policy_download": {"batch": "b1"}, "batch": {"state": "queued"},
           "sessions": [], "alerts": [], "start_session": {}, "set_account": {}, "transcript": {"messages": []}}

if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        print(json.dumps(ANSWERS.get(sys.argv[2], {})))
