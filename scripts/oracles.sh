#!/bin/sh
# Installs the independent decoders the event-log tests compare against
# (etl-parser, dissect.etl, python-evtx) into a virtual environment under
# target/oracles. Tests use it when present; under CI=true they require it.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/oracles"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "etl-parser==1.0.1" "dissect.etl==3.14" "python-evtx==0.8.1"
echo "$venv/bin/python"
