# Shared by the bench/bench_*.sh scripts (sourced).

# median FILE [COLUMN]: the median of the numbers in COLUMN (default 1, whitespace-separated)
# of FILE's lines; the mean of the two middle ones for an even count.
median() {
  awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# authors_csv ROWS FILE: a users import file of ROWS generated authors
# (username,email,display_name,role,note), the same in every import benchmark.
authors_csv() {
  awk -v n="$1" 'BEGIN {
    print "username,email,display_name,role,note"
    for (i = 1; i <= n; i++) printf "author%d,author%d@example.com,Author Number %d,user,Writes books and essays\n", i, i, i
  }' >"$2"
}

# timed FILE COMMAND...: runs COMMAND with its output dropped and appends "seconds
# max_rss_kib" to FILE; on failure shows its errors and exits.
timed() {
  local file=$1 err
  shift
  err=$(mktemp)
  /usr/bin/time -f '%e %M' -a -o "$file" "$@" >/dev/null 2>"$err" || { cat "$err" >&2; rm -f "$err"; exit 1; }
  rm -f "$err"
}
