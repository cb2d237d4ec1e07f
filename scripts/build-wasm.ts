/**
 * npm run build:wasm: compiles the WebAssembly text in src/core/train/wasm/ (wabt) into the TypeScript modules
 * beside it, which carry the binary as base64 so the worker, Node and the tests load it the same way, without a
 * fetch. A unit test fails when a module no longer matches its source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compiledWasmModule, WASM_SOURCES } from '../src/build/wasm.ts';

for (const source of WASM_SOURCES) {
  const { path, text } = await compiledWasmModule(source);
  writeFileSync(path, text);
  console.log(`wrote ${path} from ${source} (${readFileSync(source, 'utf8').length} characters of text)`);
}
