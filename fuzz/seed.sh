#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's own projects (corpus/ is not committed).
# Usage: fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/frontmatter corpus/citation corpus/project
n=0
# Every Markdown file of the fixtures and the example framework.
while IFS= read -r -d '' file; do
  cp "$file" "corpus/frontmatter/seed-$((n += 1))"
done < <(find "$root/tests/fixtures" "$root/content" -name '*.md' -type f -print0)
# Every citation written in them, one per file, plus the forms the SPEC lists.
{
  grep -rhoE '"(ISO|IEC|NIST|COBIT|ANSI|BS|EN)[^"]*"' "$root/tests/fixtures" "$root/content" \
    --include='*.md' | tr -d '"'
  printf '%s\n' 'ISO/IEC 27035 (all parts)' 'ISO/IEC 27001:2013, Clause 6' \
    'ISO/IEC 27002:2013, Clauses 6 and 7' 'ISO/IEC 27033-2' 'ISO/IEC TR 27103:2018' \
    'ISO/IEC 27001:2013, 6.1.3, 8.3,9.3' 'ISO/IEC 27002:2013 8.2.3, 8.3.1' \
    'IEC 62443-3-3:2013, SR 7.8, SR 1.1 RE 1' 'NIST SP 800-53 Rev. 5 AC-2(1)' \
    'ISO/IEC 27002:2013, Annexes A and B; COBIT 5 APO01.02'
} | sort -u | while IFS= read -r cite; do
  printf '%s' "$cite" > "corpus/citation/seed-$((n += 1))"
done
# Whole projects in the project target's archive form: path NUL content NUL ...
pack() {
  local dir=$1
  [ -f "$dir/book.toml" ] && { printf 'book.toml\0'; cat "$dir/book.toml"; printf '\0'; }
  [ -d "$dir/content" ] || return 0
  (cd "$dir/content" && find . -type f | sort | while IFS= read -r file; do
    printf '%s\0' "${file#./}"; cat "$file"; printf '\0'
  done)
}
for dir in "$root"/tests/fixtures/{basic,crosswalk,minimal} "$root"/tests/fixtures/invalid/*/; do
  pack "$dir" > "corpus/project/seed-$(basename "$dir")"
done
echo "seeded: $(ls corpus/frontmatter | wc -l) front matter, $(ls corpus/citation | wc -l) citations, $(ls corpus/project | wc -l) projects"
