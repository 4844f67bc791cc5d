#!/usr/bin/env bash
# Installs what tools/train needs (Debian packages only) and selects the OpenMP OpenBLAS, which makes
# PyTorch training ~22x faster than the reference BLAS on this machine kind.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
need=()
/usr/bin/python3 -c 'import torch, numpy, sentencepiece' 2>/dev/null || need+=(python3-torch python3-numpy python3-sentencepiece)
dpkg -s libopenblas0-openmp >/dev/null 2>&1 || need+=(libopenblas0-openmp)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
for lib in libblas.so.3 liblapack.so.3; do
  alt="/usr/lib/x86_64-linux-gnu/openblas-openmp/$lib"
  [ -e "$alt" ] && $SUDO update-alternatives --set "$lib-x86_64-linux-gnu" "$alt" >/dev/null
done
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__, "ok")'
