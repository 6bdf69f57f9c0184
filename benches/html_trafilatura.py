"""Times trafilatura on the same pages as `cargo bench --bench html`.

    python benches/html_trafilatura.py DATASET_DIR...

Single process, HTML already in memory as `str`, one untimed warm-up call,
`extract(html, include_comments=False)` as in `shared/eval/html_eval.py`.
"""

import pathlib
import sys
import time

import trafilatura


def main() -> None:
    pages = []
    for folder in sys.argv[1:]:
        for path in sorted(pathlib.Path(folder, "html").glob("*.html")):
            pages.append(path.read_text(encoding="utf-8", errors="replace"))
    if not pages:
        sys.exit("usage: html_trafilatura.py DATASET_DIR...")
    trafilatura.extract(pages[0], include_comments=False)
    size = sum(len(p.encode("utf-8")) for p in pages)
    start = time.perf_counter()
    for page in pages:
        trafilatura.extract(page, include_comments=False)
    seconds = time.perf_counter() - start
    print(
        f"trafilatura {trafilatura.__version__}: {len(pages)} pages, {size / 1e6:.1f} MB "
        f"in {seconds:.2f} s: {len(pages) / seconds:.1f} pages/s, {size / 1e6 / seconds:.2f} MB/s"
    )


if __name__ == "__main__":
    main()
