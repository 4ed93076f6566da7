#!/usr/bin/env bash
# Starts the action server (:5055) and the Rasa server (:5005), and stops both on Ctrl-C.
# With --shell, chats in the terminal instead of serving HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ACTION_PORT="${ACTION_PORT:-5055}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://localhost:${ACTION_PORT}/webhook}"
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Stopped."
}
trap cleanup INT TERM EXIT

.venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" --quiet &
pids+=($!)
for _ in $(seq 1 60); do
  curl -sf "http://localhost:${ACTION_PORT}/health" >/dev/null && break
  sleep 1
done

if [[ "${1:-}" == "--shell" ]]; then
  .venv/bin/rasa shell --model models --endpoints endpoints.yml --quiet
  exit 0
fi

widget_url=""
if [[ -f widget/dist/widget.js ]]; then
  $PY widget/serve.py &
  pids+=($!)
  widget_url="http://localhost:${WIDGET_PORT:-8080}/"
fi
$PY -m bot.server.serve &
pids+=($!)
# Tell the user where to go once the bot really answers (model loading takes a while).
for _ in $(seq 1 180); do
  curl -sf "http://localhost:${RASA_PORT:-5005}/" >/dev/null && break
  sleep 1
done
echo "Bot ready: REST http://localhost:${RASA_PORT:-5005}/webhooks/rest/webhook"
[[ -n "$widget_url" ]] && echo "Chat widget demo: ${widget_url}  (open it in a browser)"
echo "Ctrl-C stops."
wait -n "${pids[@]}"
