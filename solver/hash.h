/* Fingerprints of contents (FNV-1a, 64 bits): which input, which rules a
 * run used, so that a checkpoint or a shard of another run is told apart
 * from one of the same run.  Not a defence against forgery.  Internal. */
#ifndef MUTU_HASH_H
#define MUTU_HASH_H

#include <stddef.h>
#include <stdint.h>

#define MUTU_HASH_SEED UINT64_C(14695981039346656037)

static inline uint64_t mutu_hash__bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

#endif
