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

# start_fake_peer SRC DIR COUNT: writes COUNT Mastodon-shaped actors a1..aCOUNT, their keys in
# DIR/keys/aN.pem, and serves them with tests/servers/fake_peer.py. Needs the caller's pids
# array and wait_for; sets PEER to the peer's base URL.
start_fake_peer() {
  local src=$1 dir=$2 count=$3 i
  mkdir -p "$dir/actors" "$dir/keys"
  /usr/bin/python3 "$src/tests/servers/fake_peer.py" --root "$dir" --port-file "$dir/port" --log /dev/null &
  pids+=("$!")
  wait_for '[ -s "$dir/port" ]' "the fake peer did not start"
  PEER=http://127.0.0.1:$(cat "$dir/port")
  for i in $(seq 1 "$count"); do
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/keys/a$i.pem" 2>/dev/null
    jq -n --arg id "{base}/users/a$i" --arg u "a$i" --arg pem "$(openssl pkey -in "$dir/keys/a$i.pem" -pubout)" \
      '{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],id:$id,
        type:"Person",preferredUsername:$u,inbox:($id+"/inbox"),endpoints:{sharedInbox:"{base}/inbox"},
        publicKey:{id:($id+"#main-key"),owner:$id,publicKeyPem:$pem}}' >"$dir/actors/a$i.json"
  done
}

# import_args [INSTCTL_BIN] [ROWS] [RUNS]: the import benchmarks' arguments; sets src (the
# source tree), bin, rows (default 100,000) and runs (default 5).
import_args() {
  src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  bin=$(realpath "${1:-$src/build/instctl}")
  rows=${2:-100000}
  runs=${3:-5}
}
