import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildApiDocumentOffline,
  serializeApiDocument,
} from '../src/common/openapi/write-document';

/**
 * `npm run openapi`: writes the API description to openapi.json at the repository root, to be
 * committed with the change that alters the API so the change shows in review. A test fails when
 * the file and the running app's /docs-json differ.
 */
async function main(): Promise<void> {
  const document = await buildApiDocumentOffline();
  const file = join(__dirname, '..', 'openapi.json');
  writeFileSync(file, serializeApiDocument(document));
  const operations = Object.values(document.paths).reduce(
    (n, item) => n + Object.keys(item).filter((k) => !k.startsWith('x-')).length,
    0,
  );
  console.log(
    `openapi.json: ${operations} operations on ${Object.keys(document.paths).length} paths`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
