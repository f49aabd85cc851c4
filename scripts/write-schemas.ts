import * as fs from 'fs';
import * as path from 'path';
import { editorSchemas } from '../lib/spec/json-schemas';

// Regenerates the editor schemas from the zod specs; a test fails while they differ.
for (const [file, content] of Object.entries(editorSchemas())) {
  fs.writeFileSync(path.join(__dirname, '..', file), content);
  console.log(`wrote ${file}`);
}
