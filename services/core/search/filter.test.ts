import { metadataSearchSuite } from './filter-suite.ts';

metadataSearchSuite('sqlite-vec', () => ({}));
