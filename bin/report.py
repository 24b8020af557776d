#!/usr/bin/env python3
"""Executes notebooks headless through a Jupyter kernel and writes each as a static HTML report.

Called by `bin/dnalab report`. On a failing cell it names the notebook, the cell's index and the
exception, and exits 1; the kernel's own log goes to --kernel-log, not to the terminal.
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def describe(error):
    """`Class: message`, without the kernel's wrapper class, which only hides the user's own."""
    if error.ename.endswith("ReplEvalRuntimeException"):
        return error.evalue
    return f"{error.ename}: {error.evalue}"


INVISIBLE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<div[^>]*>\s*</div>|\s+", re.S | re.I)


def drop_invisible_outputs(nb):
    """Removes HTML outputs that show nothing: a library's start-up scripts and page-wide CSS.

    Kotlin DataFrame's kernel integration loads with dnalab and displays a script fetched from a
    CDN plus unscoped table CSS; a published report must read offline and keep its own styling.
    Returns how many outputs were removed.
    """
    removed = 0
    for cell in nb.cells:
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html")
            if output.get("output_type") == "display_data" and html is not None and set(data) <= {"text/html", "text/plain"}:
                text = html if isinstance(html, str) else "".join(html)
                if INVISIBLE.sub("", text) == "":
                    removed += 1
                    continue
            kept.append(output)
        cell["outputs"] = kept
    return removed


def first_line(text, limit=160):
    line = next((l for l in text.splitlines() if l.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def render(path, args, kernel_log):
    nb = nbformat.read(path, as_version=4)
    workdir = os.path.dirname(os.path.abspath(path))
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        resources={"metadata": {"path": workdir}},
    )
    failure = {}

    def remember_failure(cell, cell_index, execute_reply, **_):
        failure.setdefault("index", cell_index)
        failure.setdefault("cell", cell)

    client.on_cell_error = remember_failure
    started = time.monotonic()
    name = os.path.splitext(os.path.basename(path))[0]
    try:
        client.execute(stdout=kernel_log, stderr=kernel_log)
    except CellExecutionError as error:
        index = failure.get("index")
        where = f"cell {index + 1} of {len(nb.cells)}" if index is not None else "a cell"
        print(f"dnalab: {path}: {where} failed: {describe(error)}", file=sys.stderr)
        if "cell" in failure:
            print(f"        in: {first_line(failure['cell'].source)}", file=sys.stderr)
        print(f"        kernel log: {args.kernel_log}", file=sys.stderr)
        return False
    except (CellTimeoutError, DeadKernelError) as error:
        print(f"dnalab: {path}: {type(error).__name__}: {first_line(str(error), 400)}", file=sys.stderr)
        print(f"        kernel log: {args.kernel_log}", file=sys.stderr)
        return False

    drop_invisible_outputs(nb)
    os.makedirs(args.output_dir, exist_ok=True)
    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    out = os.path.join(args.output_dir, name + ".html")
    with open(out, "w", encoding="utf-8") as f:
        f.write(body)
    print(f"dnalab: {path} -> {out} ({time.monotonic() - started:.1f} s)", file=sys.stderr)
    return True


def main():
    parser = argparse.ArgumentParser(prog="dnalab report", description=__doc__)
    parser.add_argument("--kernel", required=True, help="Jupyter kernel name")
    parser.add_argument("--kernel-log", required=True, help="file that receives the kernel's output")
    parser.add_argument("--output-dir", default="reports", help="where NAME.html goes (default: reports)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one cell may run (default: 3600)")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()

    missing = [p for p in args.notebooks if not os.path.isfile(p)]
    if missing:
        print(f"dnalab: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    ok = True
    with open(args.kernel_log, "ab") as kernel_log:
        for path in args.notebooks:
            ok = render(path, args, kernel_log) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
