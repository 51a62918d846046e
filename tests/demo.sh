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
fifo=$(mktemp -u) && mkfifo "$fifo"
tests/service/serve --port 0 --state "$state" --seed demo >"$fifo" &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null; rm -f "$fifo"' EXIT
read -r word url <"$fifo" || true
if [ "${word:-}" != ready ]; then
	echo "demo: the reference service did not start; see $state/service.log" >&2
	exit 1
fi
echo "demo: service at $url (CA: $state/ca.pem), signing in as $role@example.com"
if ./sitecare --help | grep -q '^  login'; then
	export XDG_STATE_HOME="$PWD/$state/client-state"
	export XDG_CONFIG_HOME="$PWD/$state/client-config"
	printf 'sitecare-demo\n' | ./sitecare --url "$url" --ca-file "$state/ca.pem" \
		login --email "$role@example.com" --password-stdin >/dev/null
	./sitecare --url "$url" --ca-file "$state/ca.pem"
else
	echo "demo: this build has no terminal interface yet; the service runs"
	echo "demo: until you press Ctrl-C. Try:"
	echo "  curl --cacert $state/ca.pem $url/api/v1/auth/csrf"
	wait $service
fi
