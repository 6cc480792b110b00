-- Full-text index over chunk text. `content` holds the text pre-segmented into words
-- (Chinese by jieba, separated by spaces) so BM25 matches words, not single characters.
-- The filter columns are UNINDEXED copies so a match can be narrowed without a join.
CREATE VIRTUAL TABLE `chunks_fts` USING fts5(
  `content`,
  `chunk_id` UNINDEXED,
  `kb_id` UNINDEXED,
  `document_id` UNINDEXED,
  `parent_id` UNINDEXED,
  `layer` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
