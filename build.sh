#!/usr/bin/env bash
# deepclust build script.
#
#   ./build.sh          build the wasm app into www/lib/pkg (WebGPU) and www/lib/pkg-mt (CPU threads)
#   ./build.sh serve    build, then serve www/ on http://127.0.0.1:8080 (PORT overrides), with
#                       the headers that let the page train on every core
#   ./build.sh test     native tests, wasm builds, browser tests in headless Chromium (and a
#                       subset in Firefox ESR and WebKitGTK)
#   ./build.sh bench    browser benchmark: ms per training step on WebGPU and on the CPU
#   ./build.sh bench-images [options]  ACC/NMI/ARI and wall time on COIL-20 and the MNIST
#                       test set, natively (CPU, wgpu) and in headless Chromium (WebGPU, CPU)
#   ./build.sh cli      build the native command-line tool and print where it is
#   ./build.sh results  every method on ../shared/data through the CLI → docs/RESULTS.md
#                       (quick mode; --full for the whole data sets)
#   ./build.sh peers    speed against PyTorch, scikit-learn, numpy's sgemm and, in the browser,
#                       TensorFlow.js (bench/peers)
#   ./build.sh peers-series  tslearn's k-means (Euclidean, DTW) and k-Shape on the shared time
#                       series beside deepclust (bench/peers/series.py)
#   ./build.sh heldout-series [options]  the series defaults on archive sets not used to choose
#                       them (sktime's bundled sets, from PyPI) beside k-means
#   ./build.sh gpu-kernels [options]  the GPU training step's kernel time by kind (matrix
#                       products, element-wise, ...), natively on wgpu (bench/peers/gpu_kernels.py)
#   ./build.sh fuzz [S] fuzz the CSV and IDX readers for S seconds each (default 600; needs
#                       a nightly toolchain; installs cargo-fuzz once)
#
# Installs what it needs when missing: the wasm32 target (rustup, or Debian's rustc-web with
# -Zbuild-std where rustup cannot download it), wasm-bindgen-cli at the crate's exact version,
# Debian's chromium and mesa-vulkan-drivers, and playwright-core from npm (package-lock.json).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

# Builds live outside the clone so a fresh clone on the same machine reuses them. Native and
# wasm builds use different compilers on some machines, so they get separate folders rather
# than invalidating each other's host artifacts.
CACHE=${DEEPCLUST_CACHE:-$HOME/.cache/deepclust}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
WASM_TARGET_DIR=${DEEPCLUST_WASM_TARGET_DIR:-$CACHE/target-wasm}
TOOLS=$CACHE/tools

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $*"
  fi
}

APT_UPDATED=
apt_install() {
  [ -n "$APT_UPDATED" ] || { as_root apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Sets WASM_CARGO (the cargo command, with its environment) and WASM_FLAGS (extra cargo flags)
# for wasm32 builds.
# DEEPCLUST_WASM_TOOLCHAIN=debian forces the second route (to test it where rustup works).
setup_wasm_toolchain() {
  if [ "${DEEPCLUST_WASM_TOOLCHAIN:-auto}" != debian ] && { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
     || rustup target add wasm32-unknown-unknown >/dev/null 2>&1; }; then
    WASM_CARGO=(cargo)
    WASM_FLAGS=()
    return
  fi
  # No prebuilt wasm32 standard library can be downloaded: build it from Debian's source.
  log "wasm32 standard library: building it with Debian's rustc-web and -Zbuild-std"
  if [ ! -x /usr/bin/cargo ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
    apt_install rustc-web cargo-web rust-web-src
  fi
  local lld
  lld=$(ls "$(rustc --print sysroot)"/lib/rustlib/*/bin/rust-lld 2>/dev/null | head -1 || true)
  [ -n "$lld" ] || lld=$(ls ~/.rustup/toolchains/*/lib/rustlib/*/bin/rust-lld 2>/dev/null | head -1 || true)
  if [ -z "$lld" ]; then
    command -v wasm-ld >/dev/null || apt_install lld
    lld=$(command -v wasm-ld)
  fi
  WASM_CARGO=(env RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$lld" /usr/bin/cargo)
  WASM_FLAGS=(-Zbuild-std=std,panic_abort)
}

setup_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || die "wasm-bindgen is missing from Cargo.lock"
  WASM_BINDGEN=$TOOLS/wasm-bindgen-$want/bin/wasm-bindgen
  if [ ! -x "$WASM_BINDGEN" ]; then
    log "installing wasm-bindgen-cli $want (a few minutes, once)"
    # --locked can name a dependency version the registry no longer serves; then resolve anew.
    cargo install --quiet --locked wasm-bindgen-cli --version "=$want" --root "$TOOLS/wasm-bindgen-$want" 2>/dev/null \
      || cargo install --quiet wasm-bindgen-cli --version "=$want" --root "$TOOLS/wasm-bindgen-$want"
  fi
}

build_wasm() {
  setup_wasm_toolchain
  setup_wasm_bindgen
  log "building wasm (release)"
  # Panics keep their messages but not the file, line and column of the code that raised them:
  # their locations were the download's to carry for a debugger (docs/PERFORMANCE.md,
  # "Download size"). RUSTFLAGS replaces .cargo/config.toml's, so SIMD is named again.
  CARGO_TARGET_DIR=$WASM_TARGET_DIR RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-C target-feature=+simd128 -Z location-detail=none" \
    "${WASM_CARGO[@]}" build --locked --lib --release \
    --target wasm32-unknown-unknown ${WASM_FLAGS[@]+"${WASM_FLAGS[@]}"}
  rm -rf www/lib/pkg
  # Function names are 7 of the 36 MB and only help a debugger; panics keep their messages.
  "$WASM_BINDGEN" --target web --no-typescript --remove-name-section --out-dir www/lib/pkg \
    "$WASM_TARGET_DIR/wasm32-unknown-unknown/release/deepclust.wasm"
  log "www/lib/pkg: $(du -sh www/lib/pkg | cut -f1)"
  build_wasm_threads
  write_precache
}

# The page's CPU path on every core (www/lib/pkg-mt): a second build, without wgpu, with wasm
# threads (atomics and shared memory), so the standard library is rebuilt with them. Its own
# target folder keeps both builds incremental.
build_wasm_threads() {
  local flags=(-Zbuild-std=panic_abort,std)
  if [ "${WASM_CARGO[0]}" = cargo ]; then
    rustup component list --installed 2>/dev/null | grep -q '^rust-src' \
      || { log "installing rust-src (rustup), to rebuild std with threads"; rustup component add rust-src >/dev/null; }
  else
    flags=()  # Debian's route already rebuilds std (WASM_FLAGS)
  fi
  log "building the threaded CPU wasm (release)"
  # RUSTFLAGS replaces .cargo/config.toml's flags, so SIMD is named again. The linker is told
  # to share and import the memory (up to 4 GiB, as the other build) and to export the
  # thread-local storage symbols wasm-bindgen's thread start needs: rustc no longer does that
  # for +atomics by itself.
  local link=
  for arg in --shared-memory --import-memory --max-memory=4294967296 --export=__wasm_init_tls \
             --export=__tls_size --export=__tls_align --export=__tls_base; do
    link+=" -C link-arg=$arg"
  done
  CARGO_TARGET_DIR=$WASM_TARGET_DIR-mt RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-C target-feature=+simd128,+atomics,+bulk-memory$link" \
    "${WASM_CARGO[@]}" build --locked --lib --profile release-mt --target wasm32-unknown-unknown \
    --no-default-features --features threads ${WASM_FLAGS[@]+"${WASM_FLAGS[@]}"} ${flags[@]+"${flags[@]}"}
  rm -rf www/lib/pkg-mt
  "$WASM_BINDGEN" --target web --no-typescript --remove-name-section --out-dir www/lib/pkg-mt \
    "$WASM_TARGET_DIR-mt/wasm32-unknown-unknown/release-mt/deepclust.wasm"
  log "www/lib/pkg-mt: $(du -sh www/lib/pkg-mt | cut -f1)"
}

# The service worker's file list (www/precache.js, not committed), derived from what www/
# holds now that the wasm package is fresh: every page file, so none is listed by hand.
write_precache() {
  command -v node >/dev/null || die "node is needed to write the service worker's file list (tools/precache.mjs)"
  node tools/precache.mjs
}

# The native CLI (the test build's profile, as the tests run it); DEEPCLUST_BIN is where the
# benchmark scripts find it.
build_cli() {
  cargo build --locked --bin deepclust
  export DEEPCLUST_BIN=$CARGO_TARGET_DIR/debug/deepclust
}

# Mesa's lavapipe: a Vulkan adapter on machines without a GPU, so the native wgpu test runs
# the same tensor code the browser runs on WebGPU.
setup_vulkan() {
  ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 \
    || { log "installing Mesa's Vulkan drivers (lavapipe)"; apt_install mesa-vulkan-drivers; }
}

# `setup_browser all` adds the other engines the tests run in: Firefox ESR, and WebKitGTK's
# WebDriver (its MiniBrowser needs an X display: Xvfb).
setup_browser() {
  [ -x /usr/bin/chromium ] || { log "installing Debian chromium"; apt_install chromium; }
  if [ "${1:-}" = all ]; then
    [ -x /usr/bin/firefox-esr ] || { log "installing Debian firefox-esr"; apt_install firefox-esr; }
    { [ -x /usr/bin/WebKitWebDriver ] && [ -x /usr/bin/Xvfb ]; } \
      || { log "installing Debian webkit2gtk-driver and xvfb"; apt_install webkit2gtk-driver xvfb; }
  fi
  if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/puppeteer-core ]; then
    log "installing playwright-core and puppeteer-core (npm ci; neither downloads a browser)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

serve() {
  local port=${PORT:-8080}
  log "serving www/ on http://127.0.0.1:$port (Ctrl-C stops)"
  exec node tests/e2e/static-server.mjs www "$port"
}

case "${1:-build}" in
  build)
    build_wasm ;;
  serve)
    build_wasm
    serve ;;
  test)
    start=$(date +%s)
    setup_vulkan
    log "native tests (cargo test)"
    DEEPCLUST_REQUIRE_WGPU=1 cargo test --locked
    build_wasm
    setup_browser all
    swiftshader=/usr/lib/chromium/vk_swiftshader_icd.json
    if [ -f "$swiftshader" ]; then
      # The adapter headless Chromium's WebGPU runs on, natively: there the dense layers take
      # our matrix-product kernel (src/model/gpu_matmul/), which lavapipe above does not.
      log "wgpu tests again on Chromium's SwiftShader (the browser's software adapter)"
      VK_ICD_FILENAMES=$swiftshader WGPU_BACKEND=vulkan DEEPCLUST_REQUIRE_WGPU=1 \
        DEEPCLUST_EXPECT_BLOCK_KERNEL=1 cargo test --locked --test wgpu_native
    else
      log "no $swiftshader: skipping the wgpu tests on SwiftShader"
    fi
    log "browser tests (node --test: headless Chromium; a subset in Firefox ESR and WebKitGTK)"
    node --test --test-concurrency=1 tests/e2e/
    log "all tests passed in $(( $(date +%s) - start )) s"
    ;;
  cli)
    build_cli
    echo "$DEEPCLUST_BIN" ;;
  results)
    shift
    build_cli
    python3 bench/results.py "$@" ;;
  fuzz)
    secs=${2:-600}
    rustup toolchain list 2>/dev/null | grep -q '^nightly' \
      || die "fuzzing needs a nightly toolchain (rustup toolchain install nightly): AddressSanitizer and libFuzzer's coverage flags are nightly-only"
    fuzz=$TOOLS/cargo-fuzz/bin/cargo-fuzz
    if [ ! -x "$fuzz" ]; then
      log "installing cargo-fuzz (once)"
      cargo install --quiet cargo-fuzz --root "$TOOLS/cargo-fuzz"
    fi
    for target in csv idx; do
      corpus=$CACHE/fuzz-corpus/$target
      mkdir -p "$corpus"
      log "fuzzing the $target reader for $secs s (corpus: $corpus, seeds: fuzz/seeds/$target)"
      (cd fuzz && PATH=$TOOLS/cargo-fuzz/bin:$PATH CARGO_TARGET_DIR=$CACHE/target-fuzz cargo +nightly fuzz run "$target" "$corpus" "seeds/$target" -- -max_total_time="$secs")
    done ;;
  peers)
    build_cli
    venv=$CACHE/peers-venv
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, sklearn' 2>/dev/null; then
      log "installing numpy, scikit-learn and torch from PyPI into $venv (once; torch is large)"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q numpy scikit-learn torch
    fi
    "$venv/bin/python" bench/peers/peers.py
    # In the browser: deepclust's bench page against TensorFlow.js (npm, into $CACHE, once).
    build_wasm
    setup_browser
    DEEPCLUST_CACHE=$CACHE node bench/peers/tfjs.mjs ;;
  peers-series)
    build_cli
    venv=$CACHE/series-peers-venv
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import tslearn' 2>/dev/null; then
      log "installing tslearn from PyPI into $venv (once)"
      python3 -m venv "$venv"
      "$venv/bin/pip" install -q tslearn
    fi
    "$venv/bin/python" bench/peers/series.py ;;
  heldout-series)
    shift
    build_cli
    DEEPCLUST_CACHE=$CACHE python3 bench/heldout-series.py "$@" ;;
  gpu-kernels)
    shift
    build_cli
    setup_vulkan
    python3 bench/peers/gpu_kernels.py "$@" ;;
  bench)
    build_wasm
    setup_browser
    node bench/browser-bench.mjs ;;
  bench-images)
    shift
    build_cli
    build_wasm
    setup_browser
    node bench/images-bench.mjs "$@" ;;
  *)
    die "unknown command '$1' (use: build, serve, test, bench, bench-images, cli, results, peers, peers-series, heldout-series, gpu-kernels, fuzz)" ;;
esac
