/* An ordered list of ids: position of an id, id at a position. */
#ifndef SITECARE_NET_STORE_ID_ORDER_H
#define SITECARE_NET_STORE_ID_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The order a pane shows (the server's order for its query, plus live
 * insertions at their place), held compactly since a queue may hold
 * 200,000 rows: the ids in blocks of up to 512, an index of the blocks
 * with the count before each, and an id map to each id's block (about
 * 30 bytes an id in all, where a tree node per id cost 85; 8 when the
 * ids' owner keeps the block for it, id_order_new_in). Finding an
 * id's position scans its block; the id at a position is a binary
 * search of the index; inserting or removing moves at most one block's
 * ids and renews the index's counts from that block on. No operation
 * costs more than O(n / 512 + 512), so a live event costs about the
 * same for the first row and the last, and appending a page walks
 * nothing. Each id is in the order at most once.
 */
struct id_order;

struct id_order *id_order_new(void);
/*
 * The same, where the owner of the ids keeps, for each id it holds, a
 * 4-byte cell for the order (cell(ud, id) its address, or NULL when the
 * owner does not hold id; 0 in a cell whose id is not in the order):
 * the order then needs no id map of its own (21 bytes an id). Only ids
 * the owner holds can be inserted, and an id must leave the order
 * before its cell goes.
 */
struct id_order *id_order_new_in(uint32_t *(*cell)(void *ud, int64_t id),
                                 void *ud);
void id_order_free(struct id_order *o);
/* Forgets every id. */
void id_order_clear(struct id_order *o);

size_t id_order_count(const struct id_order *o);
bool id_order_has(const struct id_order *o, int64_t id);
/* The position of id, or -1 when it is not in the order. */
long long id_order_pos(const struct id_order *o, int64_t id);
/* The id at position pos (< count). */
int64_t id_order_at(const struct id_order *o, size_t pos);

/* Inserts id at pos (<= count); false (and nothing done) when present. */
bool id_order_insert(struct id_order *o, size_t pos, int64_t id);
/* Removes id; returns the position it had, or -1 when absent. */
long long id_order_remove(struct id_order *o, int64_t id);

/*
 * Where an item belongs in an order sorted by before(): the first
 * position whose id it sorts before (count when after them all), found
 * by a binary search of the positions, so before() must hold for every
 * id from some position on. before(ud, id) says whether the item sorts
 * strictly before the id's object.
 */
size_t id_order_place(const struct id_order *o,
                      bool (*before)(void *ud, int64_t id), void *ud);

#endif
