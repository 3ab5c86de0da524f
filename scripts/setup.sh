#!/usr/bin/env bash
# Installs everything edge-lru needs to build, test and benchmark, on a fresh machine
# of this kind (Debian with rustup, Node 20 and npm). Idempotent: a second run only
# checks. Everything comes from crates.io, npm and Debian's packages.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\n==> %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"

log "Rust: wasm32 target"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

log "wasm-bindgen-cli $bindgen_version"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  # Its lock file can name a dependency version the registry no longer serves; then
  # resolve afresh at the same wasm-bindgen-cli version.
  cargo install --locked wasm-bindgen-cli --version "=$bindgen_version" ||
    cargo install wasm-bindgen-cli --version "=$bindgen_version"
fi

log "wasm-pack"
if ! command -v wasm-pack >/dev/null; then
  cargo install --locked wasm-pack || cargo install wasm-pack
fi

log "fuzzing: nightly Rust and cargo-fuzz"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

log "browser engines: Debian's chromium, firefox-esr and WebKitGTK (MiniBrowser, WebKitWebDriver, Xvfb); geckodriver"
# Each engine with its WebDriver server: chromium + chromedriver, firefox-esr + geckodriver
# (crates.io; Debian has none), MiniBrowser + WebKitWebDriver, on an Xvfb display since
# MiniBrowser has no headless mode.
apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v chromedriver >/dev/null || apt_missing+=(chromium-driver)
command -v firefox-esr >/dev/null || apt_missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || apt_missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || apt_missing+=(xvfb)
if [ "${#apt_missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${apt_missing[@]}" >/dev/null
fi
command -v geckodriver >/dev/null || cargo install --locked geckodriver

log "npm dev dependencies (js/)"
# wasm-opt (binaryen), esbuild, typescript, playwright-core, miniflare/workerd, deno,
# Node 24, and the peer LRU libraries for the benchmark, exactly as package-lock.json
# pins them. `npm ci` never rewrites the lock; the stamp (a copy of the lock it
# installed) skips it while the lock is unchanged.
stamp=js/node_modules/.edge-lru-installed
if ! cmp -s js/package-lock.json "$stamp" 2>/dev/null; then
  (cd js && npm ci --no-audit --no-fund --loglevel=error)
  cp js/package-lock.json "$stamp"
fi

log "versions"
# First lines through `sed -n 1p`, which reads to the end: after `head -1` exits, a printer
# still writing gets SIGPIPE (geckodriver panics), and pipefail fails the setup.
rustc --version
wasm-bindgen --version
wasm-pack --version
node --version
js/node_modules/.bin/node --version | sed 's/^/node (LTS): /'
js/node_modules/.bin/deno --version | sed -n 1p
chromium --version
chromedriver --version | cut -d' ' -f1,2
firefox-esr --version
geckodriver --version | sed -n 1p
printf 'WebKitGTK %s (MiniBrowser, WebKitWebDriver)\n' "$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0)"

log "gateway: Debian's mariadb-server (tests) and gateway/node_modules"
if ! command -v mariadbd >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq mariadb-server >/dev/null
fi
gw_stamp=gateway/node_modules/.gateway-installed
if ! cmp -s gateway/package-lock.json "$gw_stamp" 2>/dev/null; then
  (cd gateway && PATH="$root/js/node_modules/.bin:$PATH" npm ci --no-audit --no-fund --loglevel=error)
  cp gateway/package-lock.json "$gw_stamp"
fi
