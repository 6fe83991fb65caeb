# tar and gzip round trips on a small tree with fixed timestamps.
mkdir -p tree/sub/deeper
seq 1 5000 > tree/numbers
printf 'hello\n' > tree/sub/hello
awk 'BEGIN { for (i = 0; i < 2000; i++) print i * i }' > tree/sub/deeper/squares
find tree -exec touch -d '2020-01-02 03:04:05' {} +
tar cf tree.tar tree
tar tf tree.tar | sort
gzip -9 -n -c tree.tar > tree.tar.gz
gzip -t tree.tar.gz && echo "gzip -t ok"
gunzip -c tree.tar.gz | cmp - tree.tar && echo "round trip identical"
mkdir out
(cd out && gunzip -c ../tree.tar.gz | tar xf -)
diff -r tree out/tree && echo "extracted tree identical"
md5sum out/tree/numbers out/tree/sub/deeper/squares
zcat tree.tar.gz | wc -c
