#!/usr/bin/env bash
# The real pre-commit test: this checkout's hooks, run by pre-commit itself on a
# throwaway git repository with a polluted Markdown file.
#
#   bash tests/pre-commit.sh        (needs `pre-commit` on PATH, e.g. from a
#                                    virtualenv with `pip install pre-commit`)
#
# `try-repo` uses this checkout's HEAD commit (plus uncommitted changes, if any),
# and `language: rust` builds the crate with `cargo install`: the first run takes
# a few minutes. The build reuses target/pre-commit/ between runs.
set -euo pipefail

checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pre_commit="${PRE_COMMIT:-pre-commit}"
command -v "$pre_commit" >/dev/null || { echo "pre-commit is not on PATH" >&2; exit 2; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$checkout/target/pre-commit}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com

content="$work/content"
mkdir -p "$content/docs"
cp "$checkout/tests/fixtures/cli/pre-commit/post.md" "$content/docs/post.md"
git -C "$content" init -q
git -C "$content" add .
git -C "$content" commit -q -m "A polluted post"
cd "$content"

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== deboil (check) on a polluted file: must fail, naming the file and the rule"
if "$pre_commit" try-repo "$checkout" deboil --all-files >"$work/check1.log" 2>&1; then
    cat "$work/check1.log"; fail "the check passed on a polluted file"
fi
cat "$work/check1.log"
grep -q 'docs/post.md:5:1: app-banner app-banner.get-the-app' "$work/check1.log" \
    || fail "the check output does not name the file and rule"

echo "== deboil-fix: cleans the file (pre-commit fails the hook because it changed files)"
"$pre_commit" try-repo "$checkout" deboil-fix --all-files >"$work/fix.log" 2>&1 || true
cat "$work/fix.log"
grep -q 'files were modified by this hook' "$work/fix.log" || fail "deboil-fix did not change the file"
if grep -q 'Get the BTCC app' docs/post.md; then fail "deboil-fix left the banner"; fi
grep -q 'Markets rallied on Friday' docs/post.md || fail "deboil-fix lost content"
git add docs/post.md

echo "== deboil (check) again: must pass"
"$pre_commit" try-repo "$checkout" deboil --all-files >"$work/check2.log" 2>&1 \
    || { cat "$work/check2.log"; fail "the check still fails after deboil-fix"; }
cat "$work/check2.log"

echo "== deboil-fix again: converges (changes nothing)"
"$pre_commit" try-repo "$checkout" deboil-fix --all-files >"$work/fix2.log" 2>&1 \
    || { cat "$work/fix2.log"; fail "a second deboil-fix changed something"; }

echo "pre-commit: 4 passed, 0 failed"
