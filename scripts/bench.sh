#!/usr/bin/env bash
# The deboil benchmark suite: the throughput bench (cargo bench --bench throughput),
# then the same corpus file scanned by ripgrep and GNU grep for the built-in
# phrases and for all the patterns deboil's automaton scans for, then the
# command line's `check` and `--jsonl` figures. Usage: scripts/bench.sh [MB]   (default 100; JSONL_MB=1000 for the
# --jsonl memory stream, RUNS=3 timed runs per figure, best kept).
# Needs ../shared (the corpus) beside the project; installs ripgrep if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-100}
RUNS=${RUNS:-3}
JSONL_MB=${JSONL_MB:-1000}
WORK=target/bench
mkdir -p "$WORK"

if ! command -v rg >/dev/null; then
    (apt-get install -y ripgrep >/dev/null 2>&1 || sudo apt-get install -y ripgrep >/dev/null 2>&1) || true
fi
cargo build --release --quiet
# Copies, so that a rebuild during the run does not change what is measured.
cp "$(cargo bench --bench throughput --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)" "$WORK/throughput"
cp target/release/deboil "$WORK/deboil"
BENCH=$WORK/throughput
DEBOIL=$WORK/deboil

echo "## Library (cargo bench --bench throughput -- --mb $MB --runs $RUNS)"
echo
"$BENCH" --mb "$MB" --runs "$RUNS"
echo

CORPUS=$WORK/corpus-${MB}mb.txt
PHRASES=$WORK/phrases.txt
PATTERNS=$WORK/patterns.txt
[ -f "$CORPUS" ] || "$BENCH" --write-corpus "$CORPUS" --mb "$MB"
"$DEBOIL" rules list --phrases >"$PHRASES"
"$DEBOIL" rules list --patterns >"$PATTERNS"
BYTES=$(stat -c %s "$CORPUS")

# Best wall time in seconds of RUNS runs of a command (its output discarded).
best() {
    local best="" start end t
    for _ in $(seq "$RUNS"); do
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        t=$((end - start))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}
mbs() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

lib_time=$(for _ in $(seq "$RUNS"); do taskset -c 0 "$BENCH" --clean-file "$CORPUS" | cut -d' ' -f1; done | sort -n | head -1)
cli_time=$(best taskset -c 0 sh -c "\"$DEBOIL\" --format text < \"$CORPUS\"")
echo "## One file of $((BYTES / 1000000)) MB, one core"
echo
echo "phrases: the $(wc -l <"$PHRASES") phrases of the built-in rules (deboil rules list --phrases);"
echo "patterns: all $(wc -l <"$PATTERNS") patterns deboil's automaton scans for, regex literals included"
echo "(deboil rules list --patterns; one run each, they are slow)."
echo
echo "| tool | time | MB/s | deboil (library) time / tool time |"
echo "| --- | --- | --- | --- |"
echo "| deboil, library, one document (Engine::clean, file read included) | ${lib_time} s | $(mbs "$lib_time") | 1.00 |"
echo "| deboil --format text < file (command line) | ${cli_time} s | $(mbs "$cli_time") | $(ratio "$lib_time" "$cli_time") |"
# Piped, as GNU grep stops at the first line when its output is /dev/null.
for list in phrases patterns; do
    file=$PHRASES
    runs=$RUNS
    if [ "$list" = patterns ]; then file=$PATTERNS; runs=1; fi
    if command -v rg >/dev/null; then
        rg_time=$(RUNS=$runs best taskset -c 0 rg -c -i -F -f "$file" "$CORPUS")
        echo "| rg -c -i -F -f $list ($(rg --version | sed -n 1p)) | ${rg_time} s | $(mbs "$rg_time") | $(ratio "$lib_time" "$rg_time") |"
    else
        echo "| rg -c -i -F -f $list | not measured (ripgrep not installed) | | |"
    fi
    grep_time=$(RUNS=$runs best taskset -c 0 sh -c "grep -v -i -F -f \"$file\" \"$CORPUS\" | cat")
    echo "| grep -v -i -F -f $list ($(grep --version | sed -n 1p)) | ${grep_time} s | $(mbs "$grep_time") | $(ratio "$lib_time" "$grep_time") |"
done
echo

echo "## Command line"
echo
echo "| figure | value |"
echo "| --- | --- |"
if "$DEBOIL" check --help >/dev/null 2>&1; then
    FILES=$WORK/check-files
    rm -rf "$FILES"
    "$BENCH" --write-files "$FILES" --count 1000
    echo "| check, 1,000 small Markdown files, 2 cores | $(best "$DEBOIL" check "$FILES") s wall |"
else
    echo "| check, 1,000 small Markdown files | not measured (no \`deboil check\`) |"
fi
if "$DEBOIL" --help 2>/dev/null | grep -q -- --jsonl; then
    JSONL=$WORK/corpus-${MB}mb.jsonl
    [ -f "$JSONL" ] || "$BENCH" --write-jsonl "$JSONL" --mb "$MB"
    BYTES=$(stat -c %s "$JSONL")
    one=$(best taskset -c 0 sh -c "\"$DEBOIL\" --jsonl < \"$JSONL\"")
    two=$(best sh -c "\"$DEBOIL\" --jsonl < \"$JSONL\"")
    echo "| --jsonl, 1 core | $(mbs "$one") MB/s |"
    echo "| --jsonl, 2 cores | $(mbs "$two") MB/s ($(ratio "$one" "$two")x the 1-core rate) |"
    peak=$( { "$BENCH" --write-jsonl - --mb "$JSONL_MB" | /usr/bin/time -f %M "$DEBOIL" --jsonl >/dev/null; } 2>&1 | tail -1)
    echo "| --jsonl peak memory, ${JSONL_MB} MB stream | $((peak / 1024)) MB |"
else
    echo "| --jsonl | not measured (no \`--jsonl\`) |"
fi
BIG=$WORK/doc-200mb.txt
"$BENCH" --write-corpus "$BIG" --mb 200
peak=$( { /usr/bin/time -f %M "$DEBOIL" --format text <"$BIG" >/dev/null; } 2>&1 | tail -1)
echo "| peak memory, one 200 MB text document, command line | $((peak / 1024)) MB ($(ratio "$((peak * 1024))" "$(stat -c %s "$BIG")")x its size) |"
rm -f "$BIG"
