#!/usr/bin/env bash
# Sets up a fresh Debian machine for seqlab: pnpm, Debian Chromium (browser tests), workspace deps.
# Usage: bash scripts/setup.sh [--torch] [--bench]
#   --torch  Debian's PyTorch (python3-torch, with gloo) for python/seqlab_torch: `--engine torch` and its tests
#   --bench  PyTorch + OpenBLAS and the Apertium baseline for the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1

want_pnpm=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "$want_pnpm" ]; then
  echo "setup: installing pnpm@$want_pnpm"
  npm i -g "pnpm@$want_pnpm" >/dev/null
fi

want_torch=0 want_bench=0
for arg in "$@"; do
  case "$arg" in
    --torch) want_torch=1 ;;
    --bench) want_bench=1 want_torch=1 ;;
    *) echo "setup: unknown option '$arg' (valid: --torch, --bench)" >&2; exit 2 ;;
  esac
done

apt_pkgs=()
[ -x /usr/bin/chromium ] || apt_pkgs+=(chromium)
if [ "$want_torch" = 1 ]; then
  dpkg -s python3-torch >/dev/null 2>&1 || apt_pkgs+=(python3-torch python3-numpy)
fi
if [ "$want_bench" = 1 ]; then
  dpkg -s libopenblas0-openmp >/dev/null 2>&1 || apt_pkgs+=(libopenblas0-openmp)
  command -v apertium >/dev/null 2>&1 || apt_pkgs+=(apertium apertium-eng-spa)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${apt_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_pkgs[@]}" >/dev/null
  else
    echo "setup: please install as root: apt-get install ${apt_pkgs[*]}" >&2
    exit 1
  fi
fi

pnpm install --frozen-lockfile
