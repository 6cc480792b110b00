import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Db, openDatabase } from '../../services/core/db/index.ts';
import { buildVectorStore } from '../../services/core/vector-store/build.ts';
import { vectorStoreContract } from '../../services/core/vector-store/contract.ts';
import { runLabels } from './helpers/env.ts';
import { podman } from './helpers/exec.ts';

const QDRANT_IMAGE = process.env.QDRANT_IMAGE ?? 'qdrant/qdrant:v1.13.6';
const API_KEY = 'containers-test-qdrant-key';
// No registry is reached at run time: the suite runs where the image is already present, or
// where QDRANT_PULL=true lets the container runtime fetch it.
const available =
  process.env.QDRANT_PULL === 'true' ||
  (await podman(['image', 'exists', QDRANT_IMAGE], { allowFailure: true })).code === 0;

if (!available) {
  console.warn(
    `[containers] SKIPPED the Qdrant suite: no ${QDRANT_IMAGE} image on this machine and no registry to pull it from. ` +
      'Run it where a registry is reachable with QDRANT_PULL=true, or load the image and set QDRANT_IMAGE.',
  );
}

describe.skipIf(!available)('Qdrant in a container', () => {
  let qdrant: StartedTestContainer | undefined;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'cos-ct-qdrant-'));
  let db: Db | undefined;

  beforeAll(async () => {
    qdrant = await new GenericContainer(QDRANT_IMAGE)
      .withEnvironment({ QDRANT__SERVICE__API_KEY: API_KEY, QDRANT__TELEMETRY_DISABLED: 'true' })
      .withExposedPorts(6333)
      .withLabels(runLabels())
      .withWaitStrategy(Wait.forHttp('/readyz', 6333))
      .start();
    url = `http://${qdrant.getHost()}:${qdrant.getMappedPort(6333)}`;
    db = openDatabase(join(dir, 'app.db'));
  });

  afterAll(async () => {
    db?.sqlite.close();
    await qdrant?.stop({ timeout: 5_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  vectorStoreContract('qdrant container', async (dimension) => {
    if (!db) throw new Error('database not open');
    const store = await buildVectorStore(
      { QDRANT_URL: url, QDRANT_API_KEY: API_KEY, DATA_DIR: dir, VECTOR_INDEX: 'hnsw', VECTOR_INDEX_MIN_POINTS: 2000 },
      db,
      {
        model: `contract-${process.pid}-${++n}`,
        dimension,
      },
    );
    if (store.kind !== 'qdrant') throw new Error(`expected the Qdrant store for QDRANT_URL, got ${store.kind}`);
    return { store, dispose: () => store.close() };
  });

  it('answers /readyz with the API key configured', async () => {
    const res = await fetch(`${url}/readyz`);
    if (!res.ok) throw new Error(`readyz ${res.status}`);
  });
});
