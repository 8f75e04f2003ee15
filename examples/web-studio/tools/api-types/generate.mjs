// Writes ../../src/api-types.ts from the server's OpenAPI document with openapi-typescript.
//   node generate.mjs          regenerate
//   node generate.mjs --check  exit 1 when the committed file is not what the document gives
import openapiTS, { astToString } from 'openapi-typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const documentPath = join(here, '../../../../adapter-helidon/src/main/resources/META-INF/openapi.yaml');
const target = join(here, '../../src/api-types.ts');

const header = '// Generated from adapter-helidon/src/main/resources/META-INF/openapi.yaml by\n'
  + '// tools/api-types (npm run gen:api). Do not edit: change the document and regenerate.\n\n';
const ast = await openapiTS(pathToFileURL(documentPath));
const text = header + astToString(ast);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (current !== text) {
    console.error('src/api-types.ts is out of date with the OpenAPI document: run "npm run gen:api" in examples/web-studio');
    process.exit(1);
  }
  console.log('src/api-types.ts matches the OpenAPI document');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
