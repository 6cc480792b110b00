import { metadataSearchSuite } from './metadata-filters.ts';

metadataSearchSuite('sqlite-vec', () => ({}));
// The same store with a graph on every partition, however small: searches go through the HNSW index.
metadataSearchSuite('sqlite-vec with HNSW on every partition', () => ({ VECTOR_INDEX_MIN_POINTS: '0' }));
