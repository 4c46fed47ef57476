#!/usr/bin/env bash
# deepclust on a machine with a real GPU, in one go: meant for a lent machine (one NVIDIA
# H100/H200, 16 cores) that has no network, so nothing is built or installed here. It uses
# only what travels with the working tree: the built wasm packages (www/lib/pkg, and
# www/lib/pkg-mt for the CPU on every core), node_modules (playwright-core), and a native CLI
# built elsewhere; node and Chromium must be on the machine already:
#
#   DEEPCLUST_BIN=path/to/deepclust bash bench/gpu-machine.sh
#
# One line per measure, `NAME key=value …`, or `NAME FAILED: why` (the script goes on):
#   machine                 the GPU, Vulkan loader and driver manifest, node, Chromium, data
#   native-{wgpu,cpu}-step  the CLI's training step (bench-step, 784-500-500-2000-10, batch
#                           256) on a hardware GPU through wgpu (--device auto, which takes
#                           only a discrete or integrated adapter) and on the CPU; -conv: DCEC's
#                           network; -series-*: the series networks (6x100, 1x251, GRU)
#   browser-adapter         the WebGPU adapter headless Chromium gets, trying sets of Vulkan
#                           flags (bench/gpu-machine.mjs) until one gives a hardware adapter
#   browser-step-{webgpu,cpu-threads,cpu}  the same training step on the benchmark page
#                           (bench/page): WebGPU, the CPU on every core, the CPU on one thread
#   page-probe-*            Device = auto: the app's probe (bench/page/probe-worker.js) for wine,
#                           digits and the MNIST test set, CPU and GPU ms per step and the pick
#   page-probe-run-*        bench/probe.mjs: whole runs of the wine and digits samples in the
#                           app, Device = auto, and the badge
#   page-mnist-{dec,n2d}    DEC and N2D on the MNIST test set in the app (images-bench.mjs):
#                           ACC, NMI, ARI, wall time, and the badge (which device trained)
#   done                    the script's time and where the full log is
#
# Each step has its own timeout, and all together stop after DEEPCLUST_BUDGET_S (480 s).
# Environment, all optional but DEEPCLUST_BIN:
#   DEEPCLUST_BIN           the native CLI (may be .gz, .xz or .zst: it is unpacked to /tmp)
#   DEEPCLUST_DATA          the benchmark data (default ./shared/data, then ../shared/data)
#   DEEPCLUST_NODE          node, if not on PATH (may be compressed, as DEEPCLUST_BIN)
#   DEEPCLUST_CHROMIUM      Chromium or Chrome (default: the first of /usr/bin/chromium,
#                           /usr/bin/google-chrome, … that exists)
#   DEEPCLUST_CHROMIUM_ARGS WebGPU flags to use instead of trying the sets in gpu-machine.mjs
#   DEEPCLUST_GL_DEBS       a folder of .deb files (default ./.gl) to take libvulkan.so.1 from
#                           when the machine has no Vulkan loader (unpacked under /tmp only)
#   DEEPCLUST_LOG_DIR       where the full log (and chrome://gpu, if no hardware adapter) go
#   DEEPCLUST_MNIST_EPOCHS  pretraining epochs for page-mnist-* (default: the page's)
#   DEEPCLUST_MNIST_TIMEOUT_S  each page-mnist-* run's limit (default 150 s for DEC, 180 for N2D)
#   DEEPCLUST_FORCE_BROWSER=1  run the WebGPU steps even on a software adapter
set -uo pipefail
# Paths given relative to where the script was started from stay valid after the cd below.
for var in DEEPCLUST_BIN DEEPCLUST_NODE DEEPCLUST_CHROMIUM DEEPCLUST_DATA DEEPCLUST_GL_DEBS DEEPCLUST_LOG_DIR; do
  value=${!var:-}
  [ -n "$value" ] && [ "${value#/}" = "$value" ] && export "$var=$PWD/$value"
done
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)
BUDGET=${DEEPCLUST_BUDGET_S:-480}
DEADLINE=$((START + BUDGET))
WORK=$(mktemp -d /tmp/deepclust-gpu.XXXXXX)
LOG_DIR=${DEEPCLUST_LOG_DIR:-$WORK}
mkdir -p "$LOG_DIR"
LOG=$LOG_DIR/gpu-machine.log
: >"$LOG"
# At the end only the log (and chrome://gpu) stay: each step's output is in the log already.
cleanup() {
  if [ "$LOG_DIR" != "$WORK" ]; then
    rm -rf "$WORK"
  else
    find "$WORK" -mindepth 1 -maxdepth 1 ! -name gpu-machine.log ! -name chrome-gpu.txt -exec rm -rf {} +
  fi
}
trap cleanup EXIT

fail() { echo "$1 FAILED: $2"; echo "$1 FAILED: $2" >>"$LOG"; }

# The most telling line of a program's stderr: its first error, else its last line.
why() {
  local lines
  lines=$(grep -v -e XDG_RUNTIME_DIR -e '^[[:space:]]*$' -e '^Node\.js v' -e '^[[:space:]]*at ' "$1" 2>/dev/null)
  { grep -m1 -iE 'error|panicked|failed|cannot|not found|no such' <<<"$lines" || tail -n1 <<<"$lines"; } | cut -c1-300
}

# attempt NAME SECONDS CMD…: runs CMD for at most SECONDS (less when the budget is nearly
# spent), its output in $STEP_OUT and $STEP_ERR and the log. Returns 0 when CMD succeeded;
# otherwise prints what it printed (with PASS=1), then "NAME FAILED: why", and returns 1.
attempt() {
  local name=$1 secs=$2 rc=0 left
  shift 2
  left=$((DEADLINE - $(date +%s)))
  if ((left < 10)); then
    fail "$name" "skipped: the script's ${BUDGET} s are spent (DEEPCLUST_BUDGET_S)"
    return 1
  fi
  ((secs > left)) && secs=$left
  STEP_OUT=$WORK/$name.out
  STEP_ERR=$WORK/$name.err
  local t0=$(date +%s)
  timeout -k 5 "$secs" "$@" >"$STEP_OUT" 2>"$STEP_ERR" || rc=$?
  {
    echo "==== $name: exit $rc after $(($(date +%s) - t0)) s (limit $secs s): $*"
    cat "$STEP_OUT" "$STEP_ERR"
  } >>"$LOG"
  ((rc == 0)) && return 0
  if [ "${PASS:-0}" = 1 ]; then
    cat "$STEP_OUT"
    # It said why itself before it was stopped (or gave up).
    grep -q "^$name FAILED" "$STEP_OUT" && return 1
  fi
  local said
  said=$(why "$STEP_ERR")
  if ((rc == 124 || rc == 137)); then
    fail "$name" "timed out after ${secs} s${said:+ (last said: $said)}"
  else
    fail "$name" "${said:-exit $rc, nothing on stderr}${said:+ (exit $rc)}"
  fi
  return 1
}

# A program given as a path, unpacked to $WORK when compressed; prints the runnable path.
runnable() {
  local path=$1 out
  case "$path" in
    *.gz | *.xz | *.zst)
      out=$WORK/$(basename "${path%.*}")
      case "$path" in
        *.gz) gzip -dc "$path" ;;
        *.xz) xz -dc "$path" ;;
        *.zst) zstd -qdc "$path" ;;
      esac >"$out" || return 1
      chmod +x "$out"
      echo "$out" ;;
    *) echo "$path" ;;
  esac
}

# ---- what is here -------------------------------------------------------------------------

gpu=$(timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
[ -n "$gpu" ] || gpu="none (nvidia-smi $(command -v nvidia-smi >/dev/null && echo 'found none' || echo 'is absent'))"

# Vulkan: wgpu (natively) dlopens libvulkan.so.1; Chromium brings its own loader. Both need the
# driver's manifest; a GPU container may keep NVIDIA's under /usr/local/nvidia, where the
# loader does not look.
vulkan_loader=absent
libraries=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null)
if [[ $libraries == *'libvulkan.so.1 '* ]] || [ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ] \
    || [ -e /lib/x86_64-linux-gnu/libvulkan.so.1 ] || [ -e /usr/lib64/libvulkan.so.1 ]; then
  vulkan_loader=system
else
  debs=${DEEPCLUST_GL_DEBS:-$ROOT/.gl}
  for deb in "$debs"/libvulkan1_*.deb; do
    [ -f "$deb" ] || continue
    if dpkg-deb -x "$deb" "$WORK/gl" 2>>"$LOG"; then
      lib=$(dirname "$(find "$WORK/gl" -name 'libvulkan.so.1' | head -1)")
      if [ -n "$lib" ] && [ "$lib" != . ]; then
        export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
        vulkan_loader="carried ($deb)"
      fi
    fi
  done
fi
if [ -n "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  nvidia_icd="${VK_DRIVER_FILES:-$VK_ICD_FILENAMES} (from the environment)"
else
  nvidia_icd=absent
  for f in /etc/vulkan/icd.d/nvidia_icd*.json /usr/share/vulkan/icd.d/nvidia_icd*.json \
      /usr/local/share/vulkan/icd.d/nvidia_icd*.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd*.json \
      /usr/local/nvidia/icd.d/nvidia_icd*.json; do
    [ -f "$f" ] || continue
    nvidia_icd=$f
    case "$f" in
      /usr/local/nvidia/*) export VK_DRIVER_FILES=$f VK_ICD_FILENAMES=$f; nvidia_icd="$f (set as VK_DRIVER_FILES)" ;;
    esac
    break
  done
fi

# ANGLE on the driver's EGL (one of the flag sets) finds NVIDIA's EGL through glvnd's vendor files.
egl_vendor=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$egl_vendor" ] \
    && ! compgen -G '/usr/share/glvnd/egl_vendor.d/*nvidia*.json' >/dev/null; then
  export __EGL_VENDOR_LIBRARY_FILENAMES=$egl_vendor
fi

BIN=
BIN_WHY=
if [ -z "${DEEPCLUST_BIN:-}" ]; then
  BIN_WHY="DEEPCLUST_BIN is not set (a native CLI built elsewhere: ./build.sh cli prints its path)"
elif [ ! -f "$DEEPCLUST_BIN" ]; then
  BIN_WHY="DEEPCLUST_BIN=$DEEPCLUST_BIN does not exist"
elif ! BIN=$(runnable "$DEEPCLUST_BIN"); then
  BIN=
  BIN_WHY="could not unpack $DEEPCLUST_BIN"
else
  [ -x "$BIN" ] || { BIN_WHY="$BIN is not executable"; BIN=; }
fi

NODE=
if [ -n "${DEEPCLUST_NODE:-}" ]; then
  NODE=$(runnable "$DEEPCLUST_NODE") || NODE=
else
  NODE=$(command -v node || true)
fi
node_version=absent
if [ -n "$NODE" ] && ! node_version=$("$NODE" --version 2>/dev/null); then
  node_version="absent ($NODE does not run)"
  NODE=
fi

CHROMIUM=${DEEPCLUST_CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable \
      /opt/google/chrome/chrome "${HOME:-/root}"/.cache/ms-playwright/chromium-*/chrome-linux*/chrome; do
    [ -x "$c" ] && { CHROMIUM=$c; break; }
  done
fi
chromium_version=absent
if [ -n "$CHROMIUM" ] && [ ! -x "$CHROMIUM" ]; then
  chromium_version="absent ($CHROMIUM is not executable)"
  CHROMIUM=
fi
if [ -n "$CHROMIUM" ]; then
  export DEEPCLUST_CHROMIUM=$CHROMIUM
  chromium_version="$CHROMIUM, $(timeout 20 "$CHROMIUM" --version 2>/dev/null | head -1)"
fi

if [ -n "${DEEPCLUST_DATA:-}" ]; then DATA=$DEEPCLUST_DATA
elif [ -d "$ROOT/shared/data" ]; then DATA=$ROOT/shared/data
else DATA=$ROOT/../shared/data
fi
[ -d "$DATA" ] && DATA=$(cd "$DATA" && pwd)
export DEEPCLUST_DATA=$DATA
MNIST=$DATA/mnist/t10k-images-idx3-ubyte.gz
mnist_state=$([ -f "$MNIST" ] && echo "$DATA" || echo "absent ($MNIST)")

echo "machine gpu=\"$gpu\" cores=$(nproc) vulkan_loader=\"$vulkan_loader\" nvidia_icd=\"$nvidia_icd\" node=\"$node_version\" chromium=\"$chromium_version\" data=\"$mnist_state\" bin=\"${BIN:-absent}\"" | tee -a "$LOG"

# ---- 1. the native training step ----------------------------------------------------------

# native_step NAME DEVICE SECONDS bench-step options…
native_step() {
  local name=$1 device=$2 secs=$3 line
  shift 3
  [ -n "$BIN" ] || { fail "$name" "$BIN_WHY"; return; }
  attempt "$name" "$secs" "$BIN" bench-step --device "$device" "$@" || return
  line=$(grep -m1 '^step ' "$STEP_OUT")
  [ -n "$line" ] || { fail "$name" "bench-step printed no 'step' line: $(why "$STEP_ERR")"; return; }
  if [ "$device" = auto ] && [[ $line != *device=wgpu* ]]; then
    fail "$name" "wgpu found no hardware GPU adapter (no NVIDIA Vulkan driver?), so --device auto ran on the CPU: ${line#step }"
    return
  fi
  echo "$name requested=$device ${line#step }"
}

native_step native-wgpu-step auto 60 --dims 784,500,500,2000,10 --batch 256 --steps 20
native_step native-cpu-step cpu 45 --dims 784,500,500,2000,10 --batch 256 --steps 10
native_step native-wgpu-step-conv auto 60 --conv 28 --dims 784,500,500,2000,10 --batch 256 --steps 10
native_step native-cpu-step-conv cpu 45 --conv 28 --dims 784,500,500,2000,10 --batch 256 --steps 5
# The series networks at BasicMotions' and ArrowHead's shapes and default batches
# (docs/PERFORMANCE.md, "Series"): the convolutional one on both devices, the GRU on the GPU.
native_step native-wgpu-step-series-6x100 auto 30 --series 6x100 --dims 600,256,256,10 --batch 16 --steps 20
native_step native-cpu-step-series-6x100 cpu 20 --series 6x100 --dims 600,256,256,10 --batch 16 --steps 20
native_step native-wgpu-step-series-1x251 auto 30 --series 1x251 --dims 251,256,256,10 --batch 35 --steps 20
native_step native-cpu-step-series-1x251 cpu 20 --series 1x251 --dims 251,256,256,10 --batch 35 --steps 20
native_step native-wgpu-step-series-gru auto 45 --series 6x100 --recurrent --dims 600,256,256,10 --batch 16 --steps 10

# ---- 2. to 4. in headless Chromium --------------------------------------------------------

browser_missing=
[ -n "$NODE" ] || browser_missing="node is not on this machine (carry one and set DEEPCLUST_NODE)"
[ -z "$browser_missing" ] && [ -z "$CHROMIUM" ] && browser_missing="no Chromium or Chrome on this machine (looked for /usr/bin/chromium, chromium-browser, google-chrome, google-chrome-stable, /opt/google/chrome/chrome and Playwright's cache; DEEPCLUST_CHROMIUM names one)"
[ -z "$browser_missing" ] && [ ! -d node_modules/playwright-core ] && browser_missing="node_modules/playwright-core did not travel with the tree (npm ci where there is a network)"
[ -z "$browser_missing" ] && [ ! -f www/lib/pkg/deepclust_bg.wasm ] && browser_missing="www/lib/pkg did not travel with the tree (./build.sh builds it; it is ignored by git, so carry it)"

if [ -n "$browser_missing" ]; then
  for name in browser-adapter browser-step-webgpu browser-step-cpu-threads browser-step-cpu page-probe page-probe-run page-mnist-dec page-mnist-n2d; do
    fail "$name" "$browser_missing"
  done
else
  # The flags every later WebGPU launch takes: those that gave a hardware adapter, else the
  # first that gave a software one (so what follows shows what the page does here without one).
  hardware=0
  if PASS=1 attempt browser-adapter 150 "$NODE" bench/gpu-machine.mjs adapter --write "$WORK/flags" --log "$LOG_DIR/chrome-gpu.txt"; then
    cat "$STEP_OUT"
    grep -q '^browser-adapter flags=' "$STEP_OUT" && hardware=1
  fi
  [ -s "$WORK/flags" ] && export DEEPCLUST_CHROMIUM_ARGS="$(cat "$WORK/flags")"
  on_gpu() { ((hardware == 1)) || [ "${DEEPCLUST_FORCE_BROWSER:-0}" = 1 ]; }
  no_gpu="skipped: headless Chromium has no hardware WebGPU adapter here (see browser-adapter; DEEPCLUST_FORCE_BROWSER=1 runs it anyway)"

  # 2. The training step on the benchmark page.
  if on_gpu; then
    PASS=1 attempt browser-step-webgpu 75 "$NODE" bench/gpu-machine.mjs step --device webgpu --steps 20 --wait-s 60 && cat "$STEP_OUT"
  else
    fail browser-step-webgpu "$no_gpu"
  fi
  for device in cpu-threads cpu; do
    PASS=1 attempt "browser-step-$device" 60 "$NODE" bench/gpu-machine.mjs step --device "$device" --steps 20 --wait-s 45 && cat "$STEP_OUT"
  done

  # 4. (before 3, which may take the rest of the time) Device = auto: the probe's times and
  # pick, then whole runs in the app as bench/probe.mjs does them.
  PASS=1 attempt page-probe 120 "$NODE" bench/gpu-machine.mjs probe --data "$DATA" --wait-s 30 && cat "$STEP_OUT"
  # Its lines ("wine (hardreg): done in 3.1 s; badge: …") as ours, then why it failed, if it did.
  failed=$(attempt page-probe-run 90 "$NODE" bench/probe.mjs wine digits)
  sed -nE 's/^([a-z0-9-]+) \(([^)]*)\): ([a-z]+) in ([0-9.]+) s; badge: (.*)$/page-probe-run-\1 sample=\1 method=\2 phase=\3 seconds=\4 badge="\5"/p' "$WORK/page-probe-run.out"
  [ -n "$failed" ] && echo "$failed"

  # 3. DEC and N2D on the MNIST test set in the app, Device = auto as a user gets it.
  for method in dec n2d; do
    name=page-mnist-$method
    if ! on_gpu; then fail "$name" "$no_gpu"; continue; fi
    [ -f "$MNIST" ] || { fail "$name" "no MNIST test set at $MNIST (DEEPCLUST_DATA)"; continue; }
    secs=${DEEPCLUST_MNIST_TIMEOUT_S:-$([ "$method" = dec ] && echo 150 || echo 180)}
    args=(--data mnist --runs browser-webgpu --method "$method" --timeout-min "$(awk "BEGIN { print ($secs - 15) / 60 }")")
    [ -n "${DEEPCLUST_MNIST_EPOCHS:-}" ] && args+=(--epochs "$DEEPCLUST_MNIST_EPOCHS")
    attempt "$name" "$secs" "$NODE" bench/images-bench.mjs "${args[@]}" || continue
    line=$(grep -m1 '^MNIST test set' "$STEP_OUT")
    if [[ $line =~ ^MNIST\ test\ set\ +browser-webgpu\ +([a-z0-9-]+)\ +(.*[^ ])\ +epochs\ ([^ ]+)\ +ACC\ ([^ ]+)\ +NMI\ ([^ ]+)\ +ARI\ ([^ ]+)\ +([0-9.]+)\ s\ +\((.*)\)$ ]]; then
      m=("${BASH_REMATCH[@]}")
      echo "$name method=${m[1]} data=\"${m[2]}\" epochs=${m[3]} acc=${m[4]} nmi=${m[5]} ari=${m[6]} seconds=${m[7]} badge=\"${m[8]}\""
    elif [[ $line =~ \ ERROR\ (.*)$ ]]; then
      # images-bench says where the run was, once a minute, on stderr.
      status=$(grep -v '^[[:space:]]*$' "$STEP_ERR" | tail -n1 | sed -E 's/^ *MNIST test set browser-webgpu: //')
      fail "$name" "${BASH_REMATCH[1]}${status:+ (last status: $status)}"
    else
      fail "$name" "unexpected output: ${line:-nothing} $(why "$STEP_ERR")"
    fi
  done
fi

echo "done seconds=$(($(date +%s) - START)) log=$LOG" | tee -a "$LOG"
