ALTER TABLE `documents` ADD `source_url` text;--> statement-breakpoint
ALTER TABLE `knowledge_bases` ADD `ocr_language` text DEFAULT 'chi_sim+eng' NOT NULL;