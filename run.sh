#!/usr/bin/env bash
# Starts the whole system on its embedded default: the server on a SQLite file seeded with the 槐荫区 demo
# district, one kiosk and the public dashboard, all on 127.0.0.1. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")"

projects=(server/ServiceHall.Server.csproj kiosk/ServiceHall.Kiosk.csproj dashboard/ServiceHall.Dashboard.csproj)
for project in "${projects[@]}"; do
  dotnet build "$project" --nologo -v quiet -clp:ErrorsOnly
done

# Everything below writes demo data (accounts with printed passwords, the demo kiosk, 30,000 invented ratings), so it
# runs only on a store created as a demo store: never on a district's database, e.g. a PostgreSQL connection string
# left in the environment (docs/deployment.md#demo-stores).
mkdir -p .data/logs
if ! dotnet run --no-build --project server/ServiceHall.Server.csproj --no-launch-profile -- store require-demo \
    >/dev/null 2>.data/logs/store-check.log; then
  echo "run.sh refused: the server's store is not a demo store." >&2
  cat .data/logs/store-check.log >&2
  exit 1
fi

# First run only: demo staff accounts for the manager console, each with a fresh random password (none ships
# with the code). They are printed and kept in server/.data/demo-accounts.txt, so deleting server/.data starts afresh.
mkdir -p .data/logs
accounts_file=server/.data/demo-accounts.txt
if [ ! -f "$accounts_file" ]; then
  mkdir -p server/.data
  : >"$accounts_file.tmp"
  # The last column is the account's scope: its department, its hall, or --district (every hall).
  while read -r user name role scope; do
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    if ! SERVICEHALL_PASSWORD="$password" dotnet run --no-build --project server/ServiceHall.Server.csproj --no-launch-profile -- \
      accounts add --user "$user" --name "$name" --role "$role" $scope >/dev/null 2>>.data/logs/setup.log; then
      password="(existed before; unchanged)"
    fi
    printf '  %-14s %-26s %s\n' "$user" "$password" "$name" >>"$accounts_file.tmp"
  done <<'ACCOUNTS'
manager 大厅负责人 hall-manager --hall 370104-ZWZX
handler-xzsp 行政审批局经办人 department-handler --department XZSP
handler-rsj 人社局经办人 department-handler --department RSJ
supervisor 督办人员 supervisor --district
auditor 审计人员 auditor --district
moderator 内容审核员 moderator
admin 系统管理员 administrator
ACCOUNTS
  mv "$accounts_file.tmp" "$accounts_file"
fi

# First run only: enroll the demo kiosk (a real district enrolls each box the same way).
kiosk_credential_file=server/.data/demo-kiosk.credential
if [ ! -f "$kiosk_credential_file" ]; then
  dotnet run --no-build --project server/ServiceHall.Server.csproj --no-launch-profile -- \
    kiosks enroll --device kiosk-01 --hall 370104-ZWZX 2>>.data/logs/setup.log | tail -n 1 >"$kiosk_credential_file.tmp"
  mv "$kiosk_credential_file.tmp" "$kiosk_credential_file"
fi
export Kiosk__Credential
Kiosk__Credential=$(cat "$kiosk_credential_file")

# First run only: invented ratings for the last 100 days (a few 差评, their cases closed), so the disclosure pages
# have past months to show. A real district's store starts empty.
history_marker=server/.data/demo-history.done
if [ ! -f "$history_marker" ]; then
  dotnet run --no-build --project server/ServiceHall.Server.csproj --no-launch-profile -- \
    history generate --ratings 30000 --days 100 --bad-per-mille 3 >>.data/logs/setup.log 2>&1
  touch "$history_marker"
fi

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

mkdir -p .data/logs
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  dotnet run --no-build --project "$project" --launch-profile http >".data/logs/$name.log" 2>&1 &
  pids+=($!)
done

wait_for() {
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not start; see .data/logs/$2.log" >&2
  return 1
}
wait_for http://127.0.0.1:5101/healthz ServiceHall.Server
wait_for http://127.0.0.1:5200/ ServiceHall.Kiosk
wait_for http://127.0.0.1:5300/ ServiceHall.Dashboard

cat <<MSG

ServiceHall is running (logs in .data/logs/, data in server/.data/ and kiosk/.data/):
  kiosk       http://127.0.0.1:5200/            (open full screen: chromium --kiosk http://127.0.0.1:5200/)
  dashboard   http://127.0.0.1:5300/            (public live hall screen)
              http://127.0.0.1:5300/console     (manager console; demo accounts below)
  server      http://127.0.0.1:5100  gRPC (h2c, reflection on)
              http://127.0.0.1:5101/healthz
Demo accounts (user, password, role):
$(cat "$accounts_file")
Press Ctrl-C to stop.
MSG
wait
