#!/usr/bin/env bash
# The django-helpdesk peer: its own virtual environment (pinned in requirements.txt) under
# .peers/helpdesk/venv, and a ready database (migrated, with Careline's API user, agent,
# queues and case-id field) under .peers/helpdesk/template that the tests copy for each
# run, so a test session starts the peer without migrating. peer.json beside it holds the
# tokens and queue ids. Running it again does nothing unless a pinned file changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peer="$root/.peers/helpdesk"
python="${PYTHON:-python3}"

stamp=$(cat "$here/requirements.txt" "$here/project/careline_peer/settings.py" \
    "$here/project/careline_peer/management/commands/careline_setup.py" | sha256sum | cut -c1-16)
if [ -f "$peer/stamp" ] && [ "$(cat "$peer/stamp")" = "$stamp" ]; then
    exit 0
fi
rm -rf "$peer"
mkdir -p "$peer/template"
"$python" -m venv "$peer/venv"
"$peer/venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
cd "$here/project"
PEER_DATA_DIR="$peer/template" "$peer/venv/bin/python" manage.py migrate -v0
PEER_DATA_DIR="$peer/template" "$peer/venv/bin/python" manage.py careline_setup \
    >"$peer/template/peer.json"
echo "$stamp" >"$peer/stamp"
echo "django-helpdesk peer ready in $peer"
