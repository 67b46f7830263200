#!/usr/bin/env bash
# Validates the Kubernetes manifests, Dockerfile and compose files in deploy/ (see validate.mjs).
#   deploy/validate/validate.sh                 everything (deploy/ and docker-compose.yml)
#   deploy/validate/validate.sh FILE_OR_DIR...  only these
# Installs the pinned validator packages (package-lock.json) from the npm registry on first use; no
# cluster, Helm or kubeconform needed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
targets=()
for target in "$@"; do targets+=("$(realpath "$target")"); done
cd "$here"
# Installed once per lock file: node_modules/.validate-lock is the lock the last `npm ci` installed.
if ! cmp -s package-lock.json node_modules/.validate-lock; then
  # kubernetes-models declares node >= 22 but runs on Node 20 (this project's machines have 20).
  npm ci --no-audit --no-fund --loglevel=error --engine-strict=false >&2
  cp package-lock.json node_modules/.validate-lock
fi
exec node validate.mjs "${targets[@]}"
