#!/usr/bin/env bash
# Runs every test: all projects (SQLite, the embedded default, and the PostgreSQL multi-instance tests), then the
# server tests once more with PostgreSQL as the store. Starts a throwaway PostgreSQL cluster on loopback
# (.ci/postgres) unless SERVICEHALL_TEST_POSTGRES already names one.
set -uo pipefail
cd "$(dirname "$0")"

export SERVICEHALL_TEST_POSTGRES="${SERVICEHALL_TEST_POSTGRES:-$(.ci/postgres)}"

dotnet test ServiceHall.sln
all=$?
SERVICEHALL_TEST_STORE=postgres dotnet test tests/ServiceHall.Server.Tests
postgres=$?

[ "$all" -eq 0 ] && [ "$postgres" -eq 0 ]
