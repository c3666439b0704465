#!/usr/bin/env bash
# Starts the whole system on its embedded default: the server on a SQLite file seeded with the 槐荫区 demo district, one
# kiosk and the public dashboard, all on 127.0.0.1 (h2c on loopback), each from its published output and in the
# Production environment, as a district runs them. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

projects=(server/ServiceHall.Server.csproj kiosk/ServiceHall.Kiosk.csproj dashboard/ServiceHall.Dashboard.csproj)
province=tools/ServiceHall.ProvinceStub/ServiceHall.ProvinceStub.csproj
mkdir -p .data/logs
for project in "${projects[@]}" "$province"; do
  name=$(basename "$project" .csproj)
  dotnet publish "$project" -c Release -o ".data/publish/$name" --nologo -v quiet -clp:ErrorsOnly
done

# Production as a district runs it, with the demo's own data folders and keys (docs/deployment.md#keys): the keys that
# encrypt raters' numbers live outside the server's data folder, encrypted with a certificate made on the first run.
export ASPNETCORE_ENVIRONMENT=Production
export Storage__DatabasePath="$root/server/.data/servicehall.db"
export Storage__SeedDemoDistrict=true
export Storage__KeysPath="$root/.data/keys"
keys_certificate=.data/keys-certificate.pfx
if [ ! -f "$keys_certificate" ]; then
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >.data/keys-certificate.password
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=ServiceHall demo keys" \
    -keyout .data/keys-certificate.key -out .data/keys-certificate.crt 2>>.data/logs/setup.log
  openssl pkcs12 -export -inkey .data/keys-certificate.key -in .data/keys-certificate.crt -out "$keys_certificate" \
    -passout "file:.data/keys-certificate.password" 2>>.data/logs/setup.log
  rm .data/keys-certificate.key
fi
export Storage__KeysCertificatePath="$root/$keys_certificate"
Storage__KeysCertificatePassword=$(cat .data/keys-certificate.password)
export Storage__KeysCertificatePassword

# The provincial 好差评 platform is played by the stub on 127.0.0.1:5400 (docs/provincial-relay.md#the-stub): the server
# uploads every rating, 未评价 and case step to it, signed with a secret made on the first run. A district sets the
# province's real address and secret instead (README: Provincial upload).
if [ ! -f .data/province-stub.secret ]; then
  head -c 33 /dev/urandom | base64 | tr -d '/+=' >.data/province-stub.secret
fi
export ProvincialRelay__Endpoint=http://127.0.0.1:5400/api/evaluations
ProvincialRelay__SharedSecret=$(cat .data/province-stub.secret)
export ProvincialRelay__SharedSecret
mkdir -p .data/province-stub

server() { dotnet ".data/publish/ServiceHall.Server/ServiceHall.Server.dll" "$@"; }

# Everything below writes demo data (accounts with printed passwords, the demo kiosk, 30,000 invented ratings), so it
# runs only on a store created as a demo store: never on a district's database, e.g. a PostgreSQL connection string
# left in the environment (docs/deployment.md#demo-stores).
if ! server store require-demo >/dev/null 2>.data/logs/store-check.log; then
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
    if ! SERVICEHALL_PASSWORD="$password" server \
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
officer 政务公开专员 disclosure-officer --district
admin 系统管理员 administrator
ACCOUNTS
  mv "$accounts_file.tmp" "$accounts_file"
fi

# First run only: enroll the demo kiosk (a real district enrolls each box the same way).
kiosk_credential_file=server/.data/demo-kiosk.credential
if [ ! -f "$kiosk_credential_file" ]; then
  server kiosks enroll --device kiosk-01 --hall 370104-ZWZX 2>>.data/logs/setup.log | tail -n 1 >"$kiosk_credential_file.tmp"
  mv "$kiosk_credential_file.tmp" "$kiosk_credential_file"
fi
export Kiosk__Credential
Kiosk__Credential=$(cat "$kiosk_credential_file")
export Kiosk__DataDirectory="$root/kiosk/.data/kiosk"
# The kiosk's 设备状态 page (/maintenance) opens with this PIN; a fresh one for each run of the demo.
export Kiosk__MaintenancePin
Kiosk__MaintenancePin=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ' | cut -c1-6)
while [ ${#Kiosk__MaintenancePin} -lt 6 ]; do Kiosk__MaintenancePin="0$Kiosk__MaintenancePin"; done

# First run only: invented ratings for the last 100 days (a few 差评, their cases closed), so the disclosure pages
# have past months to show. A real district's store starts empty.
history_marker=server/.data/demo-history.done
if [ ! -f "$history_marker" ]; then
  server history generate --ratings 30000 --days 100 --bad-per-mille 3 >>.data/logs/setup.log 2>&1
  touch "$history_marker"
fi

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

# The province first, so the server's relay finds it; it keeps what it took in .data/province-stub/.
(cd .data/publish/ServiceHall.ProvinceStub && exec env ProvinceStub__SharedSecret="$ProvincialRelay__SharedSecret" \
  ProvinceStub__StorePath="$root/.data/province-stub/received.jsonl" dotnet ServiceHall.ProvinceStub.dll) \
  >.data/logs/ServiceHall.ProvinceStub.log 2>&1 &
pids+=($!)

for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  # From its own folder: the published app's content root (appsettings.json, wwwroot with the static assets).
  (cd ".data/publish/$name" && exec dotnet "$name.dll") >".data/logs/$name.log" 2>&1 &
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
wait_for http://127.0.0.1:5400/status ServiceHall.ProvinceStub

cat <<MSG

ServiceHall is running (logs in .data/logs/, data in server/.data/ and kiosk/.data/):
  kiosk       http://127.0.0.1:5200/            (open full screen: chromium --kiosk http://127.0.0.1:5200/)
              http://127.0.0.1:5200/maintenance (设备状态, PIN $Kiosk__MaintenancePin)
  dashboard   http://127.0.0.1:5300/            (public live hall screen)
              http://127.0.0.1:5300/console     (manager console; demo accounts below)
  server      http://127.0.0.1:5100  gRPC (h2c, reflection on)
              http://127.0.0.1:5101/healthz, /metrics
  province    http://127.0.0.1:5400/status      (the provincial platform's stand-in; console: 省平台上报 as admin)
Demo accounts (user, password, role):
$(cat "$accounts_file")
Press Ctrl-C to stop.
MSG
wait
