package main

// htableOrder returns keys in the order Postfix's htable_list(3) would
// list them after entering them one by one into a table created with
// htable_create(size), as postconf -e does with its new parameters. The
// hash is Postfix's FNV-1a variant with the fixed basis that NORANDOMIZE
// selects; without NORANDOMIZE the real order is random per run, so this
// order is as good as any and reproducible. Duplicate keys must already
// be removed.
func htableOrder(size int, keys []string) []string {
	if size < 13 {
		size = 13
	}
	size |= 1
	buckets := make([][]string, size)
	used := 0
	link := func(k string) {
		h := fnvHash(k) % uint64(len(buckets))
		buckets[h] = append([]string{k}, buckets[h]...)
		used++
	}
	for _, k := range keys {
		if used >= len(buckets) {
			old := buckets
			buckets = make([][]string, (2*len(old))|1)
			used = 0
			for _, chain := range old {
				for _, k := range chain {
					link(k)
				}
			}
		}
		link(k)
	}
	var out []string
	for _, chain := range buckets {
		out = append(out, chain...)
	}
	return out
}

// fnvHash is hash_fnv(3): 64-bit FNV-1a over (byte + 1).
func fnvHash(s string) uint64 {
	const (
		basis = 0xcbf29ce484222325
		prime = 0x00000100000001B3
	)
	h := uint64(basis)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i]) + 1
		h *= prime
	}
	return h
}
