import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { clientTypes, GENERATED_CLIENT_TYPES, servedDocument } from './openapi.ts';

// `npm run generate:client`: regenerates the typed client's types from the document the app serves.
const types = await clientTypes(await servedDocument());
await writeFile(GENERATED_CLIENT_TYPES, types);
process.stdout.write(`wrote ${fileURLToPath(GENERATED_CLIENT_TYPES)}\n`);
