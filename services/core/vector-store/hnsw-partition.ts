import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import usearch, { type Index } from 'usearch';
import type { PartitionScope, SqliteVectorTable, TableStamp } from './sqlite-table.ts';

/** How an HNSW graph is built and searched; part of what a saved index must match. */
export interface HnswSettings {
  /** Neighbours per node (HNSW's M). */
  connectivity: number;
  /** Candidate list while inserting (efConstruction). */
  expansionAdd: number;
  /** Candidate list while searching (ef); raised to the number of candidates asked for. */
  expansionSearch: number;
  /**
   * How vectors are held in memory: int8, half floats, or one sign bit per dimension (`b1`,
   * searched by Hamming distance); the float vectors stay in SQLite.
   */
  quantization: 'i8' | 'f16' | 'b1';
}

const SCALARS = { i8: usearch.ScalarKind.I8, f16: usearch.ScalarKind.F16, b1: usearch.ScalarKind.B1 } as const;

/** Field by field, whatever order a stamp wrote them in. */
const sameSettings = (saved: HnswSettings, wanted: HnswSettings) =>
  Object.keys(saved).length === Object.keys(wanted).length &&
  (Object.keys(wanted) as Array<keyof HnswSettings>).every((k) => saved[k] === wanted[k]);

/** Bumped when the saved layout changes, so older files are rebuilt rather than misread. */
const FORMAT = 1;
/** Vectors read from SQLite and added per step while building or catching up. */
const BATCH = 256;

interface Meta extends TableStamp {
  format: number;
  dimension: number;
  settings: HnswSettings;
  size: number;
  /** Length of the index file it describes: a file replaced or cut short is not loaded. */
  bytes: number;
}

/**
 * The approximate index of one partition (a user's KB, one layer): an HNSW graph over
 * quantized copies of the partition's vectors, keyed by their rowids in the SQLite table,
 * which stays the source of truth. It knows the table stamp it reflects and catches up from
 * the table (rowids added above it, removals logged after it), so writes by any process reach
 * it; it is saved beside the database and reloaded when its stamp still fits the table.
 */
export class HnswPartition {
  readonly scope: PartitionScope;
  private index: Index;
  private stamp: TableStamp = { maxRowid: 0, goneSeq: 0 };
  /** Changes since the last save. */
  private unsaved = 0;
  /** Removals since the graph was built: tombstones that still take memory and search time. */
  private removed = 0;

  constructor(
    private readonly table: SqliteVectorTable,
    scope: PartitionScope,
    private readonly settings: HnswSettings,
    private readonly file: string | undefined,
  ) {
    this.scope = scope;
    this.index = this.empty();
  }

  private empty(): Index {
    const { dimension } = this.table;
    const { quantization } = this.settings;
    return new usearch.Index({
      dimensions: dimension,
      // usearch casts a float vector to bits by sign (bit set where the value is above 0).
      metric: quantization === 'b1' ? usearch.MetricKind.Hamming : usearch.MetricKind.IP,
      quantization: SCALARS[quantization],
      connectivity: this.settings.connectivity,
      expansion_add: this.settings.expansionAdd,
      expansion_search: this.settings.expansionSearch,
      multi: false,
    });
  }

  get size(): number {
    return this.index.size();
  }

  /** Share of the graph that is tombstones; past a point, a rebuild is cheaper than searching around them. */
  get removedShare(): number {
    return this.removed / Math.max(1, this.index.size() + this.removed);
  }

  /** True when the table has nothing this index has not seen. */
  upToDate(now: TableStamp): boolean {
    return now.maxRowid === this.stamp.maxRowid && now.goneSeq === this.stamp.goneSeq;
  }

  /**
   * Applies the table's changes since the stamp, one batch per step, until it is up to date
   * or `budgetMs` has passed; answers whether it is up to date. Each step reads one snapshot.
   * `threads` insert in parallel (a build off the request path may use every core).
   */
  catchUp(budgetMs: number, threads = 1): boolean {
    const until = performance.now() + budgetMs;
    for (;;) {
      const done = this.table.read(() => this.step(threads));
      if (done) return true;
      if (performance.now() >= until) return false;
    }
  }

  private step(threads: number): boolean {
    const now = this.table.stamp();
    if (this.upToDate(now)) return true;
    const gone = this.table.goneSince(this.scope, this.stamp.goneSeq);
    if (gone.length > 0) {
      const removed = this.index.remove(BigUint64Array.from(gone, BigInt));
      this.removed += typeof removed === 'number' ? removed : removed.reduce((a: number, b: number) => a + b, 0);
      this.unsaved += gone.length;
    }
    this.stamp.goneSeq = now.goneSeq;
    const { rowids, vectors } = this.table.vectorsAfter(this.scope, this.stamp.maxRowid, BATCH);
    if (rowids.length === 0) {
      this.stamp.maxRowid = now.maxRowid;
      return true;
    }
    const keys = BigUint64Array.from(rowids, BigInt);
    // A saved index may already hold points its stamp does not cover: replacing keeps it exact.
    this.index.remove(keys);
    this.index.add(keys, vectors, threads);
    this.stamp.maxRowid = rowids[rowids.length - 1];
    this.unsaved += rowids.length;
    return false;
  }

  /** Rowids of about the `k` nearest points by the quantized vectors. */
  candidates(query: Float32Array, k: number): number[] {
    if (this.index.size() === 0) return [];
    const found = this.index.search(query, Math.min(k, this.index.size()), 1);
    return Array.from(found.keys, Number);
  }

  /** Loads the saved index when it was made with these settings and the table has not gone back behind it. */
  load(now: TableStamp): boolean {
    if (!this.file || !existsSync(this.file) || !existsSync(`${this.file}.json`)) return false;
    try {
      const meta = JSON.parse(readFileSync(`${this.file}.json`, 'utf8')) as Meta;
      const fits =
        meta.format === FORMAT &&
        meta.dimension === this.table.dimension &&
        sameSettings(meta.settings, this.settings) &&
        meta.maxRowid <= now.maxRowid &&
        meta.goneSeq <= now.goneSeq &&
        meta.bytes === statSync(this.file).size;
      if (!fits) return false;
      const index = this.empty();
      index.load(this.file);
      this.index = index;
      this.stamp = { maxRowid: meta.maxRowid, goneSeq: meta.goneSeq };
      this.unsaved = 0;
      return true;
    } catch {
      return false;
    }
  }

  /** True when the graph holds exactly the partition's points (checked after a load). */
  matchesTable(): boolean {
    return this.index.size() === this.table.partitionCount(this.scope);
  }

  /** Changes not yet on disk. */
  get dirty(): number {
    return this.unsaved;
  }

  /** Writes the index and then its stamp, each through a rename, so a reader never sees half a file. */
  save(): void {
    if (!this.file) return;
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    this.index.save(`${this.file}.tmp`);
    renameSync(`${this.file}.tmp`, this.file);
    const meta: Meta = {
      format: FORMAT,
      dimension: this.table.dimension,
      settings: this.settings,
      size: this.index.size(),
      bytes: statSync(this.file).size,
      ...this.stamp,
    };
    writeFileSync(`${this.file}.json.tmp`, JSON.stringify(meta), { mode: 0o600 });
    renameSync(`${this.file}.json.tmp`, `${this.file}.json`);
    this.unsaved = 0;
  }

  /** Deletes the saved files. */
  discard(): void {
    if (!this.file) return;
    for (const f of [this.file, `${this.file}.json`]) rmSync(f, { force: true });
  }
}
