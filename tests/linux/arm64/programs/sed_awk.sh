# sed substitutions, addresses and hold space; awk fields, arrays, printf and arithmetic.
seq 1 60 | sed -n 's/\([0-9]\)\([0-9]\)/\2\1/p' | tr '\n' ' '; echo
printf 'one two three\nfour five six\nseven eight nine\n' | sed -e '2d' -e 's/e/E/g' -e '1!G;h;$!d'
printf 'alpha=1\nbeta=22\ngamma=333\n' | sed -E 's/^([a-z]+)=([0-9]+)$/\2:\1/'
awk 'BEGIN {
  for (i = 1; i <= 12; i++) f[i % 5] += i * i
  for (k = 0; k < 5; k++) printf "%d:%d ", k, f[k]
  print ""
  printf "%.6f %.3e %g %d\n", 355 / 113, 1 / 3, 1024 * 1024 * 1024 * 1024, int(-7.9)
  s = "the quick brown fox jumps over the lazy dog"
  n = split(s, w, " ")
  for (i = n; i >= 1; i--) printf "%s%s", toupper(substr(w[i], 1, 1)) substr(w[i], 2), (i > 1 ? " " : "\n")
  print length(s), index(s, "fox"), gsub(/o/, "0", s), s
}'
seq 1 10 | awk '{ sum += $1; sq += $1 * $1 } END { printf "n=%d sum=%d mean=%.2f sq=%d\n", NR, sum, sum / NR, sq }'
