#!/usr/bin/env bash
# Checks deploy/k8s without a cluster: renders it (kubectl kustomize, offline), validates every object against the
# Kubernetes schemas (npm kubernetes-models) and what the silo needs from the manifests (check/validate.mjs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${MOSS_NATIVE_DIR:-$repo/.native}/npm/k8s-validate"
if [ ! -f "$tools/node_modules/kubernetes-models/package.json" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --no-audit --no-fund --loglevel=error kubernetes-models@5.1.0 yaml@2.9.1 >/dev/null
fi
ln -sfn "$tools/node_modules" "$here/check/node_modules"
kubectl kustomize "$here" | node "$here/check/validate.mjs"
