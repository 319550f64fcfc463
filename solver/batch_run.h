/* What identifies a batch run, shared by the checkpoints (batch.c) and
 * the merge of shards (merge.c).  Internal to the library. */
#ifndef MUTU_BATCH_RUN_H
#define MUTU_BATCH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jsonx.h"
#include "mutu/batch.h"

typedef struct mutu_batch__identity {
	uint64_t rules; /* fingerprint of the merged rules document */
	int goal;
	int time_limit_ms;
	unsigned long shard_k, shard_n;
} mutu_batch__identity;

mutu_batch__identity mutu_batch__identity_of(const mutu_batch_options *o);

/* Reads the identity fields of a checkpoint or an end record `obj` into
 * `id`; the name of the first field missing or malformed, or NULL. */
const char *mutu_batch__read_identity(const jv *obj, mutu_batch__identity *id);

typedef struct mutu_batch__checkpoint {
	unsigned long lines;
	uint64_t input; /* fingerprint of those lines */
	long bytes;     /* of output they gave */
	unsigned long structures, failed, groups, plans;
} mutu_batch__checkpoint;

/* Reads the checkpoint `path` and checks it belongs to run `id` and that
 * the partial output `out` holds what it records.  Returns true when it
 * can be resumed from (`ck` filled), else false with why not in `why`
 * ("no checkpoint" when there is none). */
bool mutu_batch__read_checkpoint(const char *path, const mutu_batch__identity *id, FILE *out,
				 mutu_batch__checkpoint *ck, char *why, size_t size);

/* A fingerprint written as 16 hexadecimal digits, read back. */
int mutu_batch__parse_hex(const char *s, uint64_t *out);

#endif
