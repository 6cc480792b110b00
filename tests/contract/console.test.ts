import { afterAll, beforeAll } from 'vitest';
import { consoleEscapingSuite } from './console-escaping.suite.ts';
import { consoleFormsSuite } from './console-forms.suite.ts';
import { consoleIsolationSuite } from './console-isolation.suite.ts';
import { consoleRedirectsSuite } from './console-redirects.suite.ts';
import { consoleRolesSuite } from './console-roles.suite.ts';
import { consoleValidationSuite } from './console-validation.suite.ts';
import { csrfSuite } from './csrf.suite.ts';
import { createWorld, type World } from './world.ts';

// The console and the API side by side, as `npm start` serves them, over one seeded world.
let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());
const get = () => world;

csrfSuite(get);
consoleFormsSuite(get);
consoleIsolationSuite(get);
consoleRolesSuite(get);
consoleRedirectsSuite(get);
consoleEscapingSuite(get);
consoleValidationSuite(get);
