#!/usr/bin/env python3
"""python-evtx's own dump loop (its evtx_dump console script does not start
in version 0.8.1): every record rendered as XML. Used by bench/eventlog.sh."""
import sys

import Evtx.Evtx as evtx

with evtx.Evtx(sys.argv[1]) as log:
    print("<Events>")
    for record in log.records():
        print(record.xml())
    print("</Events>")
