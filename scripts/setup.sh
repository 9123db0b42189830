#!/usr/bin/env bash
# Installs what agb-script needs on a Debian machine, and nothing when it is all there already.
#   - a JDK 17+ and Maven (to build), from Debian when missing
#   - the kernels of the embedded sandbox: Debian's python3-ipykernel (+ matplotlib, pandas, numpy),
#     r-base-core + r-cran-irkernel, Node.js (Debian's nodejs + npm when there is no node) and tslab from npm
#     into .runtime/node (git-ignored), at the exact versions of scripts/node/package-lock.json
#   - Debian's Jupyter Server (python3-jupyter-server), which the gateway backend's tests run on loopback
#   - bubblewrap, the sandbox every local kernel runs in (without it the local backend refuses to start)
# Debian packages need root (or sudo). Everything is installed with --no-install-recommends.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

DEBIAN_PACKAGES=(
  python3-ipykernel python3-jupyter-client python3-matplotlib python3-pandas python3-numpy
  r-base-core r-cran-irkernel
  python3-jupyter-server
  bubblewrap
  tmux
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    say "missing Debian packages: ${missing[*]} (run this script as root)"; exit 1
  fi
  say "installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The JavaScript kernel: tslab, installed project-locally; again only when the lock file changed.
node_dir=.runtime/node
if ! cmp -s scripts/node/package-lock.json "$node_dir/package-lock.json" \
    || [[ ! -f $node_dir/node_modules/tslab/dist/main.js ]]; then
  say "installing the JavaScript kernel (tslab) into $node_dir"
  mkdir -p "$node_dir"
  cp scripts/node/package.json scripts/node/package-lock.json "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Nothing to say when all was there: the REPL starts right after this.
