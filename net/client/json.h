/* Checked access to JSON documents for the model parsers. */
#ifndef SITECARE_NET_JSON_H
#define SITECARE_NET_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cJSON.h>

#include "net/base/error.h"

/* Deeper documents are refused before cJSON sees them. */
#define JSON_MAX_DEPTH 32
/* The longest string value accepted, in bytes. */
#define JSON_MAX_STRING (1024 * 1024)
/* The largest integer a double holds exactly: ids and counts stay below. */
#define JSON_MAX_INT ((int64_t)1 << 53)

/*
 * Where a value sits in the document, as a chain of nodes on the
 * parsers' stacks: each node is a member name (key) or, when key is
 * NULL, an array index. Errors walk the chain to name the field, as in
 * "results[3].client.name". The root is a NULL pointer.
 */
struct json_path {
	const struct json_path *up;
	const char *key;
	size_t index;
};

/* A node for member key under up. */
#define JSON_KEY(up_, key_)                                                    \
	((struct json_path){ .up = (up_), .key = (key_), .index = 0 })
/* A node for element i under up. */
#define JSON_INDEX(up_, i_)                                                    \
	((struct json_path){ .up = (up_), .key = NULL, .index = (i_) })

/*
 * Parses body into a cJSON tree the caller deletes, or NULL with err:
 * refuses nesting deeper than JSON_MAX_DEPTH, NUL bytes (raw or \u0000,
 * which C strings cannot hold) and anything after the value.
 */
cJSON *json_parse(const char *body, size_t len, struct sc_error *err);

/* Sets err to SC_ERR_MALFORMED with "path.key: what". key may be NULL. */
void json_fail(struct sc_error *err, const struct json_path *path,
               const char *key, const char *what);

/* Writes the dotted form of path (+ key) into buf; "(root)" when empty. */
void json_path_format(const struct json_path *path, const char *key, char *buf,
                      size_t size);

/* 0 when v is an object, else -1 with err naming path. */
int json_expect_object(const cJSON *v, const struct json_path *path,
                       struct sc_error *err);

/*
 * Member getters. Each reads obj[key], checks it and stores it in *out,
 * returning 0, or -1 with err naming path.key. The _null variants also
 * accept null (strings become NULL; others report through *present).
 * Strings are malloc'd copies the caller owns.
 */
int json_string(const cJSON *obj, const char *key, const struct json_path *path,
                char **out, struct sc_error *err);
int json_string_null(const cJSON *obj, const char *key,
                     const struct json_path *path, char **out,
                     struct sc_error *err);
/* An integer within [min, max]: a fraction or out-of-range is malformed. */
int json_int(const cJSON *obj, const char *key, const struct json_path *path,
             int64_t min, int64_t max, int64_t *out, struct sc_error *err);
/* The same, or null: *present says which (*out is 0 for null). */
int json_int_null(const cJSON *obj, const char *key,
                  const struct json_path *path, int64_t min, int64_t max,
                  bool *present, int64_t *out, struct sc_error *err);
int json_bool(const cJSON *obj, const char *key, const struct json_path *path,
              bool *out, struct sc_error *err);
/* An RFC 3339 UTC time. */
int json_time(const cJSON *obj, const char *key, const struct json_path *path,
              time_t *out, struct sc_error *err);
int json_time_null(const cJSON *obj, const char *key,
                   const struct json_path *path, bool *present, time_t *out,
                   struct sc_error *err);
/* A 3-letter ASCII currency code into out[4]. */
int json_currency(const cJSON *obj, const char *key,
                  const struct json_path *path, char out[4],
                  struct sc_error *err);
/*
 * A string member that must be one of names[0..count): its index goes
 * to *out. Used for every enum of the contract.
 */
int json_enum(const cJSON *obj, const char *key, const struct json_path *path,
              const char *const *names, size_t count, int *out,
              struct sc_error *err);
/*
 * The member itself, which must be present: NULL with err when it is
 * missing. When nullable, a null member gives *is_null = true.
 */
const cJSON *json_member(const cJSON *obj, const char *key,
                         const struct json_path *path, bool nullable,
                         bool *is_null, struct sc_error *err);

/* Parses one element into out (size bytes, zeroed); frees it on error. */
typedef int (*json_item_fn)(const cJSON *v, const struct json_path *path,
                            void *out, struct sc_error *err);
/* Frees what one element owns. */
typedef void (*json_free_fn)(void *item);

/*
 * Parses the object member obj[key] with parse. With present NULL it
 * must be an object; otherwise null is accepted too, setting *present
 * false and zeroing out (size bytes). A missing member is malformed.
 */
int json_child(const cJSON *obj, const char *key, const struct json_path *path,
               bool *present, json_item_fn parse, void *out, size_t size,
               struct sc_error *err);

/*
 * Defines name_item() and name_item_free(), the json_item_fn and
 * json_free_fn forms of name_from_json() and name_free(), so arrays of
 * any model type go through json_array without casting function types.
 */
#define JSON_ITEM_FNS(name, type)                                              \
	__attribute__((unused)) static int name##_item(                        \
	    const cJSON *v, const struct json_path *path, void *out,           \
	    struct sc_error *err)                                              \
	{                                                                      \
		return name##_from_json(v, path, (type *)out, err);            \
	}                                                                      \
	__attribute__((unused)) static void name##_item_free(void *item)       \
	{                                                                      \
		name##_free((type *)item);                                     \
	}

/*
 * Defines name_page_parse() and name_page_free() for a struct name_page
 * {items, n, next} of the usual list shape, over name_item() and
 * name_item_free() (see JSON_ITEM_FNS).
 */
#define JSON_PAGE_FNS(name)                                                    \
	static int name##_page_root(const cJSON *root,                         \
	                            const struct json_path *path, void *out,   \
	                            struct sc_error *err)                      \
	{                                                                      \
		struct name##_page *p = out;                                   \
		void *items;                                                   \
		if (json_page(root, sizeof *p->items, name##_item,             \
		              name##_item_free, &items, &p->n, &p->next,       \
		              err) < 0)                                        \
			return -1;                                             \
		p->items = items;                                              \
		return 0;                                                      \
	}                                                                      \
	int name##_page_parse(const char *body, size_t len,                    \
	                      struct name##_page *out, struct sc_error *err)   \
	{                                                                      \
		memset(out, 0, sizeof *out);                                   \
		return json_document(body, len, name##_page_root, out, err);   \
	}                                                                      \
	void name##_page_free(struct name##_page *p)                           \
	{                                                                      \
		json_array_free(p->items, p->n, sizeof *p->items,              \
		                name##_item_free);                             \
		free(p->next);                                                 \
		memset(p, 0, sizeof *p);                                       \
	}

/* Ids are positive; counts and sizes are not negative. */
#define JSON_ID    1, JSON_MAX_INT
#define JSON_COUNT 0, JSON_MAX_INT

/*
 * Parses the array obj[key] into a calloc'd array of n elements of size
 * bytes each, via parse. On error everything parsed so far is freed and
 * *items is NULL. An empty array gives *items NULL and *n 0.
 */
int json_array(const cJSON *obj, const char *key, const struct json_path *path,
               size_t size, json_item_fn parse, json_free_fn free_item,
               void **items, size_t *n, struct sc_error *err);

/* Frees n elements of size bytes with free_item, then the array. */
void json_array_free(void *items, size_t n, size_t size,
                     json_free_fn free_item);

/*
 * Parses a whole body with json_parse and hands the root to parse,
 * deleting the tree afterwards: the shape of every *_parse function.
 */
int json_document(const char *body, size_t len, json_item_fn parse, void *out,
                  struct sc_error *err);

/*
 * The usual list shape {"results": [...], "next": cursor|null}: fills
 * items/n like json_array and *next (NULL for null), all or nothing.
 */
int json_page(const cJSON *root, size_t size, json_item_fn parse,
              json_free_fn free_item, void **items, size_t *n, char **next,
              struct sc_error *err);

/* Strict RFC 3339 UTC ("Z" or "+00:00", optional fraction): 0 or -1. */
int json_time_parse(const char *s, time_t *out);

#endif
