ALTER TABLE `documents` ADD `text_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Full-text index, second form: one FTS5 table per layer, so BM25's term and length
-- statistics are those of its own layer (a passage is not measured against whole sections).
-- Body and heading words are apart, each with its BM25 weight; the `scope` column's tokens
-- name the KB, document and section, so a search is narrowed inside FTS5 instead of after it.
-- Words are analysed before they are written (jieba's search mode for Chinese, Porter stems for
-- English: `analyze` in services/core/text), so the tokenizer only splits on spaces and
-- punctuation. Existing rows are carried over as they are (text_version 1) and re-analysed from
-- `chunks` in the background. The vocabulary table gives the built-in embedder its statistics.
CREATE VIRTUAL TABLE `fts_document` USING fts5(
  `content`,
  `heading`,
  `scope`,
  `chunk_id` UNINDEXED,
  `kb_id` UNINDEXED,
  `document_id` UNINDEXED,
  `parent_id` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `fts_parent` USING fts5(
  `content`,
  `heading`,
  `scope`,
  `chunk_id` UNINDEXED,
  `kb_id` UNINDEXED,
  `document_id` UNINDEXED,
  `parent_id` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `fts_child` USING fts5(
  `content`,
  `heading`,
  `scope`,
  `chunk_id` UNINDEXED,
  `kb_id` UNINDEXED,
  `document_id` UNINDEXED,
  `parent_id` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `fts_child_vocab` USING fts5vocab(`fts_child`, 'row');
--> statement-breakpoint
INSERT INTO `fts_document` (`content`, `heading`, `scope`, `chunk_id`, `kb_id`, `document_id`, `parent_id`)
SELECT o.`content`, coalesce(c.`heading`, ''),
  'all k' || lower(replace(o.`kb_id`, '-', '')) || ' d' || lower(replace(o.`document_id`, '-', '')),
  o.`chunk_id`, o.`kb_id`, o.`document_id`, nullif(o.`parent_id`, '')
FROM `chunks_fts` o LEFT JOIN `chunks` c ON c.`id` = o.`chunk_id` WHERE o.`layer` = 'document';
--> statement-breakpoint
INSERT INTO `fts_parent` (`content`, `heading`, `scope`, `chunk_id`, `kb_id`, `document_id`, `parent_id`)
SELECT o.`content`, coalesce(c.`heading`, ''),
  'all k' || lower(replace(o.`kb_id`, '-', '')) || ' d' || lower(replace(o.`document_id`, '-', '')) || ' p' || lower(replace(o.`chunk_id`, '-', '')),
  o.`chunk_id`, o.`kb_id`, o.`document_id`, nullif(o.`parent_id`, '')
FROM `chunks_fts` o LEFT JOIN `chunks` c ON c.`id` = o.`chunk_id` WHERE o.`layer` = 'parent';
--> statement-breakpoint
INSERT INTO `fts_child` (`content`, `heading`, `scope`, `chunk_id`, `kb_id`, `document_id`, `parent_id`)
SELECT o.`content`, coalesce(c.`heading`, ''),
  'all k' || lower(replace(o.`kb_id`, '-', '')) || ' d' || lower(replace(o.`document_id`, '-', '')) || CASE WHEN coalesce(o.`parent_id`, '') = '' THEN '' ELSE ' p' || lower(replace(o.`parent_id`, '-', '')) END,
  o.`chunk_id`, o.`kb_id`, o.`document_id`, nullif(o.`parent_id`, '')
FROM `chunks_fts` o LEFT JOIN `chunks` c ON c.`id` = o.`chunk_id` WHERE o.`layer` = 'child';
--> statement-breakpoint
DROP TABLE `chunks_fts`;
