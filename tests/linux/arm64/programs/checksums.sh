# Checksums of generated files: md5sum, sha1sum, sha256sum, sha512sum, crc32-style cksum, od.
seq 1 20000 > numbers
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", i % 256 }' > bytes
md5sum numbers bytes
sha1sum numbers bytes
sha256sum numbers bytes
sha512sum numbers | cut -c1-64
wc -c numbers bytes
od -A x -t x1 bytes | head -4
md5sum numbers > sums
md5sum -c sums
