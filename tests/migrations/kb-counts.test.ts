import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { passageCounts } from '../../services/core/db/chunk-index.ts';
import { kbGeneration } from '../../services/core/db/kb-generation.ts';
import { createTestDeps } from '../helpers/deps.ts';
import { previousVersionDatabase } from '../helpers/migrations.ts';

/** The last migration before the KB rows kept their passage counts. */
const BEFORE = '0007_documents_metadata';

const document = (id: string, kb: string, status: string, children: number) =>
  `('${id}', 'u-ann', '${kb}', '${id}.md', 'text/markdown', 3, '${id}', 'u-ann/${id}/${id}.md', '${status}', ${children})`;

const SEED = `
  INSERT INTO users (id, email, name, password_hash, role) VALUES ('u-ann', 'ann@example.com', 'Ann', 'hash-a', 'admin');
  INSERT INTO knowledge_bases (id, user_id, title) VALUES ('kb-1', 'u-ann', 'One'), ('kb-2', 'u-ann', 'Two');
  INSERT INTO kb_members (kb_id, user_id, role) VALUES ('kb-1', 'u-ann', 'owner'), ('kb-2', 'u-ann', 'owner');
  INSERT INTO documents (id, user_id, kb_id, file_name, mime_type, size, sha256, storage_key, status, child_count) VALUES
    ${document('d-1', 'kb-1', 'completed', 5)}, ${document('d-2', 'kb-1', 'completed', 3)},
    ${document('d-3', 'kb-1', 'failed', 0)}, ${document('d-4', 'kb-1', 'processing', 2)},
    ${document('d-5', 'kb-2', 'completed', 7)};
`;

describe('the KB counts migration', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('counts the passages of an earlier installation, and its triggers keep the counts and the content version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-upgrade-'));
    dirs.push(dir);
    previousVersionDatabase(dir, BEFORE, SEED);
    const deps = await createTestDeps({ DATA_DIR: dir });
    try {
      const db = deps.db.sqlite;
      // Completed documents only: 5 + 3 in kb-1, 7 in kb-2.
      expect(passageCounts(deps.db, 'kb-1')).toEqual({ kb: 8, all: 15 });
      expect(passageCounts(deps.db, 'kb-2')).toEqual({ kb: 7, all: 15 });
      expect(passageCounts(deps.db, 'no-such-kb')).toEqual({ kb: 0, all: 15 });

      const seen = new Set([kbGeneration(deps.db, 'kb-1')]);
      const changed = () => {
        const generation = kbGeneration(deps.db, 'kb-1');
        const fresh = !seen.has(generation);
        seen.add(generation);
        return fresh;
      };
      // Every change of a document is a new generation; its count moves when it completes or leaves.
      db.prepare(`UPDATE documents SET status = 'completed', child_count = 4 WHERE id = 'd-4'`).run();
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([12, true]);
      db.prepare(`UPDATE documents SET metadata = '{"team":"ops"}' WHERE id = 'd-1'`).run();
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([12, true]);
      // Reprocessing takes its passages out until it completes again, with its new count.
      db.prepare(`UPDATE documents SET status = 'queued' WHERE id = 'd-1'`).run();
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([7, true]);
      db.prepare(`UPDATE documents SET status = 'completed', child_count = 6 WHERE id = 'd-1'`).run();
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([13, true]);
      db.exec(`INSERT INTO documents (id, user_id, kb_id, file_name, mime_type, size, sha256, storage_key, status, child_count)
               VALUES ${document('d-6', 'kb-1', 'queued', 0)}`);
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([13, true]);
      db.prepare(`DELETE FROM documents WHERE id = 'd-2'`).run();
      expect([passageCounts(deps.db, 'kb-1').kb, changed()]).toEqual([10, true]);
      // A document moved to another KB moves its passages too.
      db.prepare(`UPDATE documents SET kb_id = 'kb-2' WHERE id = 'd-4'`).run();
      expect(passageCounts(deps.db, 'kb-1')).toEqual({ kb: 6, all: 17 });
      expect(passageCounts(deps.db, 'kb-2')).toEqual({ kb: 11, all: 17 });
      // A deleted KB takes its documents' passages with it.
      db.prepare(`DELETE FROM knowledge_bases WHERE id = 'kb-2'`).run();
      expect(passageCounts(deps.db, 'kb-1')).toEqual({ kb: 6, all: 6 });
      expect(db.prepare(`SELECT count(*) AS n FROM documents WHERE kb_id = 'kb-2'`).get()).toEqual({ n: 0 });
      // The counts agree with the documents they count.
      expect(
        db.prepare(`SELECT coalesce(sum(child_count), 0) AS n FROM documents WHERE status = 'completed'`).get(),
      ).toEqual({
        n: 6,
      });
    } finally {
      await deps.cleanup();
    }
  });
});
