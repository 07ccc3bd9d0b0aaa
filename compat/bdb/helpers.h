/*
 * Thin C helpers around libdb 5.3 for the Go binding: they build DBT
 * values from (pointer, length) pairs so that no Go pointer is ever stored
 * in C memory, and they bundle the environment, the database and its
 * cursor in one handle.
 */
#ifndef GP_BDB_HELPERS_H
#define GP_BDB_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>

typedef struct gp_bdb {
	DB_ENV *env;
	DB     *db;
	DBC    *cursor;
	char   *scratch;		/* key and value of the next put */
	size_t  scratch_cap;
} gp_bdb;

int gp_bdb_reserve(gp_bdb *h, size_t len);

int gp_bdb_version_ok(void);
int gp_bdb_open(const char *home, const char *file, int hash,
		uint32_t flags, uint32_t cache_size, uint32_t nelem,
		gp_bdb **out);
int gp_bdb_fd(gp_bdb *h, int *fd);
int gp_bdb_get(gp_bdb *h, const void *key, size_t klen,
	       void **val, size_t *vlen);
int gp_bdb_lookup(gp_bdb *h, int lock_fd, int lock_style,
		  const void *key, size_t klen, int try1, int try0,
		  void **val, size_t *vlen, int *with_nul, int *lock_err,
		  int *unlock_err);
int gp_bdb_put(gp_bdb *h, const void *key, size_t klen,
	       const void *val, size_t vlen, uint32_t flags);
int gp_bdb_del(gp_bdb *h, const void *key, size_t klen);
int gp_bdb_cursor_get(gp_bdb *h, int first, void **key, size_t *klen,
		      void **val, size_t *vlen);
int gp_bdb_sync(gp_bdb *h);
int gp_bdb_hash_buckets(gp_bdb *h, uint32_t *buckets);
int gp_bdb_close(gp_bdb *h);

#endif
