#!/usr/bin/env python3
"""Independent decodings of an ETL trace, for the tests of the ETL reader.

Usage: etl_oracle.py {etl-parser|dissect} FILE

Prints JSON: {"decoder", "events": [{"provider", "name", "pid", "tid",
"timestamp", "fields"}], "failed": n}, events in file order, field values
as text. `timestamp` is the raw event timestamp (clock ticks); dissect also
gives `time`, its own UTC conversion.

- etl-parser 1.0.1 walks the buffers and records and decodes TraceLogging
  payloads itself; the provider name is read from extended item 12.
- dissect.etl 3.14 walks buffers and records and gives the event headers;
  it reads extended items by their size and ignores the linkage bit, so
  here the items are walked by linkage and the TraceLogging payload is
  decoded by the small decoder below. `dissect_item_mismatch` counts the
  events where dissect's own item walk finds a different number of items.
Install both with scripts/oracles.sh.
"""
import json
import struct
import sys


def cstr(b, at):
    end = b.index(b"\0", at)
    return b[at:end].decode("utf-8", "replace"), end + 1


def skip_tags(b, at):
    for _ in range(4):
        t = b[at]
        at += 1
        if not t & 0x80:
            break
    return at


def tl_meta(m):
    size = struct.unpack_from("<H", m, 0)[0]
    m = bytes(m[:size])
    at = skip_tags(m, 2)
    name, at = cstr(m, at)
    fields = []
    while at < len(m):
        fname, at = cstr(m, at)
        tin = m[at]
        at += 1
        count = None
        if tin & 0x80:
            tout = m[at]
            at += 1
            if tout & 0x80:
                at = skip_tags(m, at)
        if tin & 0x60 == 0x20:
            count = struct.unpack_from("<H", m, at)[0]
            at += 2
        elif tin & 0x60 == 0x60:
            at += 2 + struct.unpack_from("<H", m, at)[0]
        fields.append((fname, tin, count))
    return name, fields


SIZES = {3: "b", 4: "B", 5: "h", 6: "H", 7: "i", 8: "I", 9: "q", 10: "Q", 13: "i", 20: "I", 21: "Q"}


def tl_value(t, p, at):
    if t == 1:
        end = at
        while p[end:end + 2] != b"\0\0":
            end += 2
            if end > len(p):
                raise ValueError("short")
        return bytes(p[at:end]).decode("utf-16-le", "replace"), end + 2
    if t == 2:
        end = p.index(b"\0", at)
        return bytes(p[at:end]).decode("utf-8", "replace"), end + 1
    if t in (22, 23):
        n = struct.unpack_from("<H", p, at)[0]
        raw = bytes(p[at + 2:at + 2 + n])
        if len(raw) < n:
            raise ValueError("short")
        return raw.decode("utf-16-le" if t == 22 else "utf-8", "replace"), at + 2 + n
    if t in SIZES:
        f = "<" + SIZES[t]
        v = struct.unpack_from(f, p, at)[0]
        return str(bool(v)).lower() if t == 13 else str(v), at + struct.calcsize(f)
    if t == 15:
        d1, d2, d3 = struct.unpack_from("<IHH", p, at)
        tail = bytes(p[at + 8:at + 16]).hex()
        return "{%08x-%04x-%04x-%s-%s}" % (d1, d2, d3, tail[:4], tail[4:]), at + 16
    raise ValueError("type %d" % t)


def tl_decode(fields, p):
    out, at = {}, 0
    for name, tin, count in fields:
        t = tin & 0x1F
        if t == 24:
            continue
        if tin & 0x60:
            if count is None:
                count = struct.unpack_from("<H", p, at)[0]
                at += 2
            vals = []
            for _ in range(count):
                v, at = tl_value(t, p, at)
                vals.append(v)
            out[name] = "[" + ", ".join(vals) + "]"
        else:
            out[name], at = tl_value(t, p, at)
        if at > len(p):
            raise ValueError("short")
    return out


def etl_parser(path):
    from etl.etl import IEtlFileObserver, build_from_stream

    events, failed = [], [0]

    class Observer(IEtlFileObserver):
        def on_event_record(self, event):
            src = event.source
            provider = None
            for item in src.extended_data or []:
                if item.ext_type == 12:
                    provider, _ = cstr(bytes(item.data_item), 2)
            try:
                tl = event.parse_tracelogging()
                name = tl.get_name()
                fields = {k: (("[" + ", ".join(str(x) for x in v) + "]") if isinstance(v, list) else str(v))
                          for k, v in tl.items()}
            except Exception:
                failed[0] += 1
                name, fields = None, None
            h = src.event_header
            events.append({"provider": provider, "name": name, "pid": h.process_id, "tid": h.thread_id,
                           "timestamp": h.timestamp, "fields": fields})

        def on_trace_record(self, event):
            pass

        def on_perfinfo_trace(self, obj):
            pass

        def on_system_trace(self, obj):
            pass

        def on_win_trace(self, obj):
            pass

    with open(path, "rb") as f:
        build_from_stream(f.read()).parse(Observer())
    return events, failed[0], {}


def dissect(path):
    import os

    from dissect.etl.etl import ETL, Buffer
    from dissect.etl.headers.event import EventHeader

    events, failed, mismatch = [], 0, 0
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        etl = ETL(fh)
        offset = 0
        while offset < size:
            buf = Buffer(etl, offset)
            for rec in buf:
                h = rec.header
                if not isinstance(h, EventHeader):
                    continue
                payload = bytes(h.payload)
                items, at = [], 0
                if h.header.Flags & 1:
                    while True:
                        kind, link, n = struct.unpack_from("<HHH", payload, at + 2)
                        items.append((kind, payload[at + 8:at + 8 + n]))
                        at = (at + 8 + n + 7) & ~7
                        if not link & 1:
                            break
                if len(h.header_extensions) != len(items):
                    mismatch += 1
                provider = next((cstr(d, 2)[0] for k, d in items if k == 12), None)
                schema = next((d for k, d in items if k == 11), None)
                name, fields = None, None
                try:
                    if schema is not None:
                        name, meta = tl_meta(schema)
                        fields = tl_decode(meta, payload[at:])
                except Exception:
                    failed += 1
                events.append({"provider": provider, "name": name, "pid": h.process_id, "tid": h.thread_id,
                               "timestamp": h.time_delta, "time": h.timestamp.isoformat(), "fields": fields})
            offset += buf.size
    return events, failed, {"dissect_item_mismatch": mismatch}


def main():
    decoder, path = sys.argv[1], sys.argv[2]
    events, failed, extra = {"etl-parser": etl_parser, "dissect": dissect}[decoder](path)
    out = {"decoder": decoder, "events": events, "failed": failed}
    out.update(extra)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
