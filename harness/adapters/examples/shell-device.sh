#!/usr/bin/env bash
# A device under test driven by command lines (docs/adapters.md, "A device driven by command
# lines"): the harness starts `shell-device.sh WORKDIR serve ...` once per case and runs
# `shell-device.sh WORKDIR <operation> ...` for each operation its adapter lists
# (harness/adapters/examples/shell-device.yaml). Each operation prints its JSON answer on stdout.
#
# The DM client here is the reference client, standing in for yours: `serve` starts it and prints
# READY; `session` asks it for one client-initiated DM session; `events` reads its event stream.
# Both talk to the client's local control socket with bash's /dev/tcp, so the script needs bash
# and sed only. Write the same three commands around your own client (its command line, its log)
# and the suite runs against it with no other hook: the tree is read and written by the
# reference server over DM (docs/adapters.md, Observation over DM).
set -euo pipefail

work=$1
op=$2
shift 2

# One HTTP request to the client's control socket; prints the response body.
control() {
    local method=$1 target=$2 body=${3:-} port token
    read -r port token < "$work/control"
    exec 3<> "/dev/tcp/127.0.0.1/$port"
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
        "$method" "$target" "$token" "${#body}" "$body" >&3
    sed '1,/^\r$/d' <&3 # the body: what follows the blank line after the headers
    exec 3<&-
}

case "$op" in
serve) # serve CLIENT CONFIG TOKEN MO_PROFILE: start the DM client with the run's MO layout, then
       # print READY with its DM port
    client=$1 config=$2 token=$3 mo_profile=$4
    exec {out}< <(exec "$client" --config "$config" --listen 127.0.0.1:0 --control 127.0.0.1:0 \
        --token "$token" --state "$work/state" --mo-profile "$mo_profile" 2> "$work/client.err")
    pid=$!
    # The client's stdout, line by line until its READY line; the harness bounds this wait
    # (ready_timeout_s). A client that exits first ends the read: no READY, the start failed.
    ready=""
    while [ -z "$ready" ] && IFS= read -r line <&"$out"; do
        case "$line" in "READY "*) ready=$line ;; esac
    done
    [ -n "$ready" ] || exit 1
    cat <&"$out" > "$work/client.out" & # the rest of its stdout, so that it never blocks on it
    dm_port=$(sed -E 's/.*[{,]"port":([0-9]+).*/\1/' <<< "$ready")
    control_port=$(sed -E 's/.*"control_port":([0-9]+).*/\1/' <<< "$ready")
    echo "$control_port $token" > "$work/control"
    echo "READY {\"port\": $dm_port}"
    wait "$pid"
    ;;
session) # session REASON: one client-initiated session; prints {"session_id": ...}
    control POST /v1/session "{\"reason\": \"$1\"}"
    ;;
events) # events AFTER WAIT_MS KIND: the client's events after AFTER; prints {"events": [...], "next": n}
    query="after=$1&wait_ms=$2"
    [ -n "${3:-}" ] && query="$query&kind=$3"
    control GET "/v1/events?$query"
    ;;
*)
    echo "shell-device.sh: unknown operation $op" >&2
    exit 2
    ;;
esac
