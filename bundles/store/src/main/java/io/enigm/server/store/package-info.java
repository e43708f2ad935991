/**
 * The store's contract for the bundles that own tables, in Jdbi's terms: transactions over the
 * installation's database (a call inside a transaction joins it; on PostgreSQL, other nodes may
 * write too, and messages published in a transaction reach every node's subscribers after its
 * commit), a read cache of committed rows,
 * keyset-paging conditions, per-environment table data, bounded batch deletions and keyed lookups
 * below Jdbi for the hottest reads. SQL dialect details stay in the store bundle; callers write
 * portable SQL. Technology-free contracts, the data home's ({@code io.enigm.server.home}) among
 * them, live in the api bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.enigm.server.store;
