import { makeZip } from '../ingest/fixtures.ts';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/** A small DOCX whose `word/document.xml` inflates to about `megabytes` MB of paragraphs. */
export function docxBomb(megabytes: number): Buffer {
  const para = '<w:p><w:r><w:t>lorem ipsum dolor sit amet </w:t></w:r></w:p>';
  const body = para.repeat(Math.ceil((megabytes * 1024 * 1024) / para.length));
  const xml = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`;
  return makeZip(
    {
      '[Content_Types].xml': Buffer.from(CONTENT_TYPES),
      '_rels/.rels': Buffer.from(RELS),
      'word/document.xml': Buffer.from(xml),
    },
    { deflate: true },
  );
}
