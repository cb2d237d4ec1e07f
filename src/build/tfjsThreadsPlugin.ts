/**
 * Vite plugin: lets tfjs-wasm's multi-threaded build start its threads from a minified bundle.
 *
 * tfjs starts each thread from the text of its Emscripten factory (`factory.toString()`), so that function must
 * not refer to anything outside itself. It refers to `_scriptDir`, a variable of its wrapper, behind a `typeof`
 * guard; the minifier, seeing the variable defined, drops the guard and renames it, and every thread dies with
 * "e is not defined". In a worker `_scriptDir` is always undefined, so its two uses inside the factory go.
 */
import type { Plugin } from 'vite';

const FACTORY = /tfjs-backend-wasm-threaded-simd\.js$/;
const USES = ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', '||_scriptDir'];

export function tfjsThreads(): Plugin {
  return {
    name: 'tfjs-threads',
    transform(code, id) {
      if (!FACTORY.test(id)) return null;
      let patched = code;
      for (const use of USES) {
        // A new tfjs that no longer has these lines must be looked at again, not silently shipped broken.
        if (!patched.includes(use)) throw new Error(`tfjs-threads: "${use}" is no longer in ${id}; check the threaded WASM build by hand`);
        patched = patched.replace(use, '');
      }
      return { code: patched, map: null };
    },
  };
}
