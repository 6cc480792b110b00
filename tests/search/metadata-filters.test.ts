import { metadataSearchSuite } from './metadata-filters.ts';

metadataSearchSuite('sqlite-vec', () => ({}));
