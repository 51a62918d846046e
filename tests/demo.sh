#!/usr/bin/env bash
# `make demo`: starts the reference service on loopback over TLS with demo
# data, then opens the client signed in as the demo staff member for ROLE
# (admin, manager, technician/tech, support). Stops the service on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
role=${1:-admin}
case $role in
technician) role=tech ;;
admin | manager | tech | support) ;;
*) echo "demo: unknown ROLE '$role' (admin, manager, tech, support)" >&2; exit 2 ;;
esac
state=${DEMO_STATE:-.state/demo}
mkdir -p "$state"
tests/service/serve --port 0 --state "$state" --seed demo >"$state/serve.out" &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null' EXIT
# Seeding a new demo database takes a few seconds; wait for "ready URL".
for _ in $(seq 1 240); do
	read -r word url <"$state/serve.out" 2>/dev/null || true
	[ "${word:-}" = ready ] && break
	kill -0 $service 2>/dev/null || break
	sleep 0.5
done
if [ "${word:-}" != ready ]; then
	echo "demo: the reference service did not start; see $state/service.log" >&2
	exit 1
fi
echo "demo: service at $url (CA: $state/ca.pem), signing in as $role@example.com"
# The demo's own HOME-like dirs, so it never touches the user's session.
export XDG_STATE_HOME="$PWD/$state/client-state"
export XDG_CONFIG_HOME="$PWD/$state/client-config"
export XDG_DATA_HOME="$PWD/$state/client-data"
flags=(--url "$url" --ca-file "$state/ca.pem")
printf 'sitecare-demo\n' | ./sitecare "${flags[@]}" login --email "$role@example.com" \
	--password-stdin >/dev/null
./sitecare "${flags[@]}"
