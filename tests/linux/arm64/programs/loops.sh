# Shell arithmetic, loops, functions, case, string operations and subshells in busybox ash.
fib() {
  a=0 b=1 i=0
  while [ "$i" -lt "$1" ]; do
    t=$((a + b)); a=$b; b=$t; i=$((i + 1))
  done
  echo "$a"
}
for n in 0 1 2 10 50 90; do echo "fib($n) = $(fib $n)"; done
s=0
i=1
while [ $i -le 2000 ]; do
  case $((i % 15)) in
    0) s=$((s + 15)) ;;
    3|6|9|12) s=$((s + 3)) ;;
    5|10) s=$((s + 5)) ;;
    *) s=$((s + i % 7)) ;;
  esac
  i=$((i + 1))
done
echo "sum $s"
word="polyvm-arm64-busybox"
echo "${#word} ${word%%-*} ${word#*-} ${word##*-} ${word%-*}"
count=0
for f in a b c d e; do for g in 1 2 3; do count=$((count + 1)); done; done
echo "nested $count"
x=$( (echo inner; exit 3); echo "status $?")
echo "$x"
printf '%5d|%-6s|%x|%o|%c\n' 42 ab 255 8 Z
echo $((0x7fffffff * 3)) $((-17 / 5)) $((-17 % 5)) $((1 << 40))
