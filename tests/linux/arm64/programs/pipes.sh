# Pipelines through sort, uniq, head, tail, tr, cut, wc, xargs and a here-document.
seq 1 3000 | awk '{ print ($1 * $1 * 7919) % 101 }' | sort -n | uniq -c | sort -k1,1nr -k2,2n | head -15
seq 1 100 | tr '0-9' 'a-j' | tail -5
cat <<'END' | cut -d: -f1,3 | sort -t: -k2,2n
root:x:0:0
daemon:x:1:1
alice:x:1000:1000
bob:x:1001:1001
END
seq 1 1000 | xargs -n 100 echo | wc -l
yes polyvm | head -2000 | sort | uniq -c
printf 'b\na\nc\nb\na\n' | sort -u | tr '\n' ' '; echo
seq 20 -3 1 | sort -n | xargs
