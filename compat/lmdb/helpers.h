/*
 * C side of the Go LMDB binding. One handle holds the environment, the
 * main database, the bulk transaction (when building a table) and the
 * state that lets a sequence of cursor reads resume after each read
 * transaction is closed. Values and keys handed back to Go are copied
 * into handle-owned buffers before the transaction that owns them ends.
 */
#ifndef GP_LMDB_HELPERS_H
#define GP_LMDB_HELPERS_H

#include <stddef.h>
#include <lmdb.h>

/* Returned by bulk-mode calls after a transaction had to start over. */
#define GP_LMDB_RESTART	(-1)

typedef struct gp_buf {
	char   *data;
	size_t  len;
	size_t  cap;
} gp_buf;

typedef struct gp_lmdb {
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;			/* bulk transaction, or 0 */
	int     fd;
	int     truncate;		/* drop old content (O_TRUNC) */
	int     bulk;			/* one transaction until close */
	unsigned int env_flags;
	size_t  curr_limit;		/* current map size */
	size_t  hard_limit;		/* map size never exceeds this */
	int     api_retries;		/* recoveries in the current call */
	int     api_retry_limit;
	int     bulk_retries;		/* recoveries in the bulk transaction */
	int     bulk_retry_limit;
	gp_buf  saved_key;		/* cursor position between calls */
	int     have_saved_key;
	gp_buf  key;			/* last key returned */
	gp_buf  val;			/* last value returned */
	gp_buf  scratch;		/* key and value of the next put */
} gp_lmdb;

int gp_buf_reserve(gp_buf *b, size_t len);

int gp_lmdb_open(const char *path, size_t map_size, int rdonly,
		 int truncate, int bulk, gp_lmdb **out);
int gp_lmdb_get(gp_lmdb *h, const void *key, size_t klen);
int gp_lmdb_lookup(gp_lmdb *h, int lock_fd, int lock_style,
		   const void *key, size_t klen, int try1, int try0,
		   int *with_nul, int *lock_err, int *unlock_err);
int gp_lmdb_put(gp_lmdb *h, const void *key, size_t klen,
		const void *val, size_t vlen, unsigned int flags);
int gp_lmdb_del(gp_lmdb *h, const void *key, size_t klen);
int gp_lmdb_seq(gp_lmdb *h, int first);
int gp_lmdb_close(gp_lmdb *h);

#endif
