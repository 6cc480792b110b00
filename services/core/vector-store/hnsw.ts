import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { Sqlite } from '../db/index.ts';
import { HnswPartition, type HnswSettings } from './hnsw-partition.ts';
import type { VectorFilter, VectorStore } from './index.ts';
import { OVERSAMPLING, quantizationFor } from './quantization.ts';
import { checkQuery, exactSearch, sqliteVecHealth, tableOperations, topHits } from './sqlite.ts';
import { normalize } from './sqlite-sql.ts';
import { createSqliteVectorTable, type PartitionScope } from './sqlite-table.ts';

/** Where the store says that an index was built, and why one could not be. */
export interface IndexLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export interface HnswStoreOptions {
  model: string;
  dimension: number;
  /** Where partition indexes are saved (beside the database); unset keeps them in memory only. */
  dir?: string;
  /** Partitions with fewer points are scanned exactly: below this an exact scan is as fast. */
  minPoints?: number;
  /** Partitions up to this size are indexed by the search that first needs them; larger ones in the background. */
  inlineBuild?: number;
  settings?: Partial<HnswSettings>;
  logger?: IndexLogger;
}

export const DEFAULT_HNSW: Omit<HnswSettings, 'quantization' | 'expansionSearch'> = {
  connectivity: 16,
  expansionAdd: 128,
};

/**
 * How a graph of this dimension holds its vectors, as Qdrant's are quantized (`quantizationFor`):
 * sign bits from 1024 dimensions (a multiple of 8), int8 below. At 100k clustered vectors of
 * 1024 dimensions the bits took 277 bytes a vector with the graph against int8's 1,173, built
 * in 7.8 s against 12.6, and with `candidatesFor` gave the same top 10 after rescoring (recall
 * 1.000 against 0.998).
 */
export const quantizationOf = (dimension: number): HnswSettings['quantization'] =>
  quantizationFor(dimension) === 'binary' && dimension % 8 === 0 ? 'b1' : 'i8';

/**
 * What each quantization needs of a search: candidates rescored per result wanted (Qdrant's
 * oversampling), at least `floor` more than the limit, and the candidate list (ef) while
 * walking the graph. Sign bits tie often: for the top 10 of 20k clustered 1024-d vectors, 30
 * candidates gave recall 0.567, 50 0.766, 100 0.999; of 300k, an ef of 128 gave 0.989 and 256
 * 1.000 (0.8 and 1.1 ms a walk, little beside rescoring).
 */
const SEARCHING: Record<HnswSettings['quantization'], { oversampling: number; floor: number; ef: number }> = {
  i8: { oversampling: OVERSAMPLING.int8, floor: 40, ef: 128 },
  f16: { oversampling: OVERSAMPLING.int8, floor: 40, ef: 128 },
  b1: { oversampling: OVERSAMPLING.binary, floor: 90, ef: 256 },
};

/** The settings of a graph of this dimension. */
export function hnswSettingsFor(dimension: number): HnswSettings {
  const quantization = quantizationOf(dimension);
  return { ...DEFAULT_HNSW, quantization, expansionSearch: SEARCHING[quantization].ef };
}

/** How long a search may spend bringing an index up to date before it answers exactly instead. */
const SEARCH_CATCH_UP_MS = 25;
/** One slice of background building, between which requests are served. */
const BUILD_SLICE_MS = 15;
/** Threads inserting into a graph being built in the background. */
const BUILD_THREADS = Math.min(4, availableParallelism());
/** Past this share of removed points the graph is rebuilt. */
const REBUILD_REMOVED_SHARE = 0.25;

/** Candidates taken from the graph for `limit` results, all rescored with the float vectors. */
export const candidatesFor = (limit: number, quantization: HnswSettings['quantization']) => {
  const { oversampling, floor } = SEARCHING[quantization];
  return Math.max(oversampling * limit, limit + floor);
};

/**
 * The most graph neighbours a narrowed search looks through for enough that pass its filter;
 * a filter that lets fewer through is answered by the exact scan.
 */
export const NARROWED_MAX_CANDIDATES = 4096;

interface Entry {
  partition: HnswPartition;
  /** Searchable: built and caught up (or close enough to catch up within a search). */
  ready: boolean;
  work?: Promise<void>;
  /** A fresh graph being built to replace this one. */
  next?: Promise<void>;
}

/**
 * The embedded store with an approximate index: the same sqlite-vec tables (float vectors on
 * disk, the source of truth) plus, for each partition (a user's KB, one layer) of at least
 * `minPoints` points, an HNSW graph over quantized copies of its vectors in memory
 * (`quantizationOf`). A search takes the graph's nearest candidates and rescores them exactly
 * from the float vectors, so scores are exact cosines and a point deleted by any process is
 * never returned. A search narrowed to some documents or parents (a metadata filter's
 * documents) never filters after a cut: a narrowing that leaves few points scores them all
 * exactly; a wider one walks the graph with the narrowing as a predicate, widening until enough
 * candidates pass, and scans exactly when too few do. A partition whose graph is still being
 * built is scanned exactly.
 */
export function createHnswVectorStore(sqlite: Sqlite, opts: HnswStoreOptions): VectorStore {
  const { model, dimension } = opts;
  const minPoints = opts.minPoints ?? 2000;
  const inlineBuild = opts.inlineBuild ?? 1000;
  const settings: HnswSettings = { ...hnswSettingsFor(dimension), ...opts.settings };
  const candidates = (limit: number) => candidatesFor(limit, settings.quantization);
  const t = createSqliteVectorTable(sqlite, opts);
  const exact = exactSearch(sqlite, t);
  const entries = new Map<string, Entry>();
  /** Partitions found too small, with the table's newest rowid when counted. */
  const small = new Map<string, number>();
  /** Set while closing or dropping: builds under way stop at their next slice and keep nothing. */
  let halted = false;

  const keyOf = (s: PartitionScope) => `${s.userId}\u0000${s.kbId}\u0000${s.layer}`;
  const fileOf = (s: PartitionScope) =>
    opts.dir && join(opts.dir, t.table, `${createHash('sha256').update(keyOf(s)).digest('hex').slice(0, 32)}.usearch`);

  const saveIfWorth = (p: HnswPartition) => {
    if (p.dirty >= Math.max(1000, p.size * 0.05)) p.save();
  };

  /** Catches up (or builds) in slices off the request path, then makes the partition searchable. */
  const inBackground = (entry: Entry, scope: PartitionScope, why: string) => {
    if (entry.work) return entry.work;
    const started = performance.now();
    entry.work = (async () => {
      while (!halted && !entry.partition.catchUp(BUILD_SLICE_MS, BUILD_THREADS)) await yieldToEvents();
      // Closed or dropped, or the KB deleted meanwhile: nothing to keep.
      const current = entries.get(keyOf(scope));
      if (halted || (current !== entry && current?.next !== entry.work)) return;
      entry.partition.save();
      entries.set(keyOf(scope), { partition: entry.partition, ready: true });
      opts.logger?.info(
        {
          layer: scope.layer,
          kbId: scope.kbId,
          points: entry.partition.size,
          ms: Math.round(performance.now() - started),
        },
        `vector index ${why}`,
      );
    })().catch((err: unknown) => {
      entries.delete(keyOf(scope));
      opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'vector index build failed');
    });
    return entry.work;
  };

  /** A fresh graph built from the table, swapped in when complete; the current one (if any) serves meanwhile. */
  const rebuild = (scope: PartitionScope, why: string) => {
    const building: Entry = { partition: new HnswPartition(t, scope, settings, fileOf(scope)), ready: false };
    const current = entries.get(keyOf(scope));
    if (!current?.ready) {
      entries.set(keyOf(scope), building);
      return inBackground(building, scope, why);
    }
    current.next ??= inBackground(building, scope, why);
    return current.next;
  };

  /** Opens a partition's saved index when it fits the table, else starts building it. */
  const open = (scope: PartitionScope): Entry | undefined => {
    const key = keyOf(scope);
    const now = t.stamp();
    if (small.get(key) === now.maxRowid) return undefined;
    const count = t.partitionCount(scope);
    if (count < minPoints) {
      small.set(key, now.maxRowid);
      return undefined;
    }
    small.delete(key);
    const saved = new HnswPartition(t, scope, settings, fileOf(scope));
    if (saved.load(now)) {
      const entry: Entry = { partition: saved, ready: false };
      entries.set(key, entry);
      if (!saved.catchUp(SEARCH_CATCH_UP_MS)) {
        void inBackground(entry, scope, 'loaded and caught up');
        return entry;
      }
      if (saved.matchesTable()) {
        entry.ready = true;
        return entry;
      }
      opts.logger?.warn({ layer: scope.layer, kbId: scope.kbId }, 'saved vector index disagrees with the table');
      entries.delete(key);
    }
    if (count <= inlineBuild) {
      const fresh = new HnswPartition(t, scope, settings, fileOf(scope));
      fresh.catchUp(Number.POSITIVE_INFINITY);
      fresh.save();
      const entry = { partition: fresh, ready: true };
      entries.set(key, entry);
      return entry;
    }
    void rebuild(scope, 'built');
    return entries.get(key);
  };

  /** The partition's index when it can answer this search now; undefined means scan exactly. */
  const searchable = (scope: PartitionScope): HnswPartition | undefined => {
    const entry = entries.get(keyOf(scope)) ?? open(scope);
    if (!entry?.ready) return undefined;
    const p = entry.partition;
    if (!p.upToDate(t.stamp())) {
      if (!p.catchUp(SEARCH_CATCH_UP_MS)) {
        entry.ready = false;
        void inBackground(entry, scope, 'caught up');
        return undefined;
      }
      saveIfWorth(p);
      if (p.removedShare > REBUILD_REMOVED_SHARE) void rebuild(scope, 'rebuilt after deletes');
    }
    return p;
  };

  /**
   * The graph walked with the filter's narrowing as a predicate: ever more neighbours until as
   * many pass as an unnarrowed search rescores, or the whole graph has been seen; undefined when
   * too few pass within `NARROWED_MAX_CANDIDATES`, so that the caller scans exactly.
   */
  const narrowedSearch = (p: HnswPartition, query: Float32Array, filter: VectorFilter, limit: number) => {
    const wanted = candidates(limit);
    const most = Math.min(NARROWED_MAX_CANDIDATES, p.size);
    for (let k = Math.min(4 * wanted, most); ; k = Math.min(4 * k, most)) {
      const found = p.candidates(query, k);
      const passing = t.passing(found, filter);
      if (passing.length >= wanted || found.length === p.size) return topHits(t.score(query, passing), limit);
      if (k === most) return undefined;
    }
  };

  const dropKb = (userId: string, kbId: string) => {
    for (const layer of ['document', 'parent', 'child'] as const) {
      const scope = { userId, kbId, layer };
      entries.get(keyOf(scope))?.partition.discard();
      entries.delete(keyOf(scope));
      new HnswPartition(t, scope, settings, fileOf(scope)).discard();
    }
  };

  const haltBuilds = async () => {
    halted = true;
    await Promise.all([...entries.values()].flatMap((e) => [e.work, e.next]));
  };

  const ops = tableOperations(sqlite, t);
  return {
    kind: 'hnsw',
    model,
    dimension,
    ...ops,
    async deleteByKb(userId, kbId) {
      await ops.deleteByKb(userId, kbId);
      dropKb(userId, kbId);
    },
    fastWideSearch: (scope) => searchable(scope) !== undefined,
    async prepare() {
      await Promise.all(
        t.partitions().map((scope) => {
          const entry = entries.get(keyOf(scope)) ?? open(scope);
          return entry?.work;
        }),
      );
    },
    async search(vector, filter, limit) {
      if (!checkQuery(dimension, vector, filter, limit)) return [];
      const query = normalize(vector);
      const narrowed = filter.documentIds !== undefined || filter.parentIds !== undefined;
      const few = narrowed ? exact.few(filter) : undefined;
      if (few) return topHits(t.score(query, few), limit);
      const p = searchable({ userId: filter.userId, kbId: filter.kbId, layer: filter.layer });
      if (!p) return exact.knn(query, filter, limit);
      if (!narrowed) return topHits(t.score(query, p.candidates(query, candidates(limit))), limit);
      return narrowedSearch(p, query, filter, limit) ?? exact.knn(query, filter, limit);
    },
    async health() {
      const ready = [...entries.values()].filter((e) => e.ready).length;
      const detail = `table ${t.table}, HNSW (${settings.quantization}) on ${ready} partitions, ${entries.size - ready} building`;
      return sqliteVecHealth(sqlite, detail);
    },
    /** Stops the builds under way, then drops the tables and every saved index of this model. */
    async drop() {
      await haltBuilds();
      entries.clear();
      small.clear();
      halted = false;
      await ops.drop();
      if (opts.dir) rmSync(join(opts.dir, t.table), { recursive: true, force: true });
    },
    async close() {
      await haltBuilds();
      for (const e of entries.values()) if (e.ready && e.partition.dirty > 0) e.partition.save();
      entries.clear();
    },
  };
}
