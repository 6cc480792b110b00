import { afterAll, beforeAll } from 'vitest';
import { authSuite } from './auth.suite.ts';
import { deletionSuite } from './deletion.suite.ts';
import { documentedAnswersSuite } from './documented-answers.suite.ts';
import { isolationSuite } from './isolation.suite.ts';
import { publicSurfaceSuite } from './public-surface.suite.ts';
import { rolesSuite } from './roles.suite.ts';
import { searchInputSuite } from './search-input.suite.ts';
import { searchIsolationSuite } from './search-isolation.suite.ts';
import { shapesSuite } from './shapes.suite.ts';
import { sharedNotesSuite } from './shared-notes.suite.ts';
import { validationSuite } from './validation.suite.ts';
import { createWorld, type World } from './world.ts';

// One seeded world for the whole public API contract; the suites that only read run first.
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());
const get = () => world;

authSuite(get);
isolationSuite(get);
rolesSuite(get);
publicSurfaceSuite(get);
searchIsolationSuite(get);
searchInputSuite(get);
sharedNotesSuite(get);
validationSuite(get);
shapesSuite(get);
documentedAnswersSuite(get);
deletionSuite(get);
