#!/usr/bin/python3
"""Reference for tools/bench/src/dataset-ingest.bench.ts: pandas read_csv + describe(include="all") of one CSV.

Debian's /usr/bin/python3 with python3-pandas (the C parser, pandas' default engine). Prints one JSON object:
wall seconds of read_csv, of describe, and of both, plus the frame's shape (checked by the caller).
Wall time, as the TypeScript side measures its upload: both read the file from the same page cache.
"""
import json
import sys
import time

import pandas as pd


def main():
    path = sys.argv[1]
    start = time.perf_counter()
    frame = pd.read_csv(path)
    read = time.perf_counter() - start
    start = time.perf_counter()
    described = frame.describe(include="all")
    describe = time.perf_counter() - start
    print(
        json.dumps(
            {
                "pandas": pd.__version__,
                "rows": int(frame.shape[0]),
                "columns": int(frame.shape[1]),
                "described": int(described.shape[1]),
                "readSeconds": read,
                "describeSeconds": describe,
                "seconds": read + describe,
            }
        )
    )


if __name__ == "__main__":
    main()
