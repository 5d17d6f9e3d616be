#!/usr/bin/env bash
# The blog-scale benchmark: `benches/compare.sh [N…]` (default 100 1000).
#
# For each N it generates a synthetic blog of N posts (examples/generate_blog.rs, seeded, the
# same bytes every run) into target/bench/, then compiles it with the release binary to the
# EPUB alone, the PDF alone and both, under /usr/bin/time -v: wall and CPU time, peak memory,
# output sizes. When a Pandoc that writes Typst (3.1.2 or later: `pandoc` on the PATH, or the
# PyPI package `pypandoc_binary`) and the `typst` Python package are installed, the same posts
# go through Pandoc → Typst in the same run, and the table gives the ratio. Prints a Markdown
# table (BENCHMARKS.md holds one).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
work=target/bench
mkdir -p "$work"
cargo build --release --quiet --bin inkstone --example generate_blog
bin=target/release/inkstone

# `field NAME FILE`: the value /usr/bin/time -v printed for NAME.
field() { grep -F "$1" "$2" | head -1 | sed 's/.*: //'; }
# Wall-clock time `h:mm:ss` or `m:ss.cc` in seconds.
seconds() { echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'; }
megabytes() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

have_typst=no
pandoc=$(command -v pandoc || true)
if [ -z "$pandoc" ] || ! "$pandoc" --list-output-formats | grep -qx typst; then
    pandoc=$(python3 -c "import pypandoc; print(pypandoc.get_pandoc_path())" 2> /dev/null || true)
fi
if [ -n "$pandoc" ] && python3 -c "import typst" 2> /dev/null; then
    have_typst=yes
fi

echo "| posts | format | pages | wall s | user s | sys s | peak MB | EPUB MB | PDF MB |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
declare -A wall_of
for n in "${sizes[@]}"; do
    blog="$work/blog-$n"
    [ -d "$blog" ] || target/release/examples/generate_blog "$n" "$blog"
    for format in epub pdf all; do
        out="$work/out-$n-$format"
        rm -rf "$out"
        /usr/bin/time -v "$bin" compile "$blog" -o "$out" --format "$format" --quiet \
            2> "$work/time.txt"
        wall=$(seconds "$(field 'Elapsed (wall clock)' "$work/time.txt")")
        user=$(field 'User time' "$work/time.txt")
        sys=$(field 'System time' "$work/time.txt")
        peak=$(awk -v k="$(field 'Maximum resident' "$work/time.txt")" 'BEGIN { printf "%.0f", k / 1024 }')
        epub=$(stat -c %s "$out"/*.epub 2> /dev/null || echo 0)
        pdf=$(stat -c %s "$out"/*.pdf 2> /dev/null || echo 0)
        pages=$( [ "$pdf" != 0 ] && pdfinfo "$out"/*.pdf 2> /dev/null | awk '/^Pages/ { print $2 }' || echo "")
        wall_of[$n-$format]=$wall
        echo "| $n | $format | ${pages:-} | $wall | $user | $sys | $peak | $(megabytes "$epub") | $(megabytes "$pdf") |"
    done
    if [ $have_typst = yes ]; then
        # The same posts as one Markdown file, each under its title, front matter removed.
        all="$work/pandoc-$n.md"
        for post in "$blog"/source/_posts/*.md; do
            awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^title:/ { sub(/^title: */, ""); title = $0 }
                 fm && /^---$/ { fm = 0; print "# " title "\n"; next } !fm { print }' "$post"
        done | sed 's|(/images/|('"$(pwd)/$blog"'/source/images/|' > "$all"
        start=$(date +%s.%N)
        "$pandoc" "$all" -s -t typst -V mainfont="Noto Serif SC" -o "$work/pandoc-$n.typ"
        python3 -c "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root='/', font_paths=['fonts'], ignore_system_fonts=True)" \
            "$work/pandoc-$n.typ" "$work/pandoc-$n.pdf"
        typst_wall=$(echo "$(date +%s.%N) - $start" | bc)
        ratio=$(awk -v a="$typst_wall" -v b="${wall_of[$n-pdf]}" 'BEGIN { printf "%.1f", a / b }')
        echo "| $n | Pandoc → Typst (PDF) | | $(printf '%.2f' "$typst_wall") | | | | | $(megabytes "$(stat -c %s "$work/pandoc-$n.pdf")") |"
        echo "| $n | ratio | | Pandoc → Typst takes ${ratio}× inkstone's PDF time | | | | | |"
    fi
done
if [ -n "${wall_of[100-all]:-}" ] && [ -n "${wall_of[1000-all]:-}" ]; then
    awk -v a="${wall_of[1000-all]}" -v b="${wall_of[100-all]}" \
        'BEGIN { printf "\nN = 1000 takes %.1f× the time of N = 100 (both formats).\n", a / b }'
fi
[ $have_typst = yes ] || echo "(Pandoc → Typst not run: 'pip install pypandoc_binary typst' to compare.)"
