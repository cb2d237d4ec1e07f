/** The training engine in a Web Worker: config in, snapshots out. The page never trains on its thread. */
import * as Comlink from 'comlink';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { RunParams } from '../core/run/types';
import { EngineHost } from '../engine/host';
import { indexedDbChoices } from '../browser/choiceStore';
import { decodeServedImage } from '../browser/decodeImage';
import { bytesFromBase64 } from '../core/bytes';
import type { Digits } from '../core/data/mnist';

// Vite fingerprints the .wasm files; tell tfjs where they went.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/** The shipped digits, in their own chunk: only the MNIST page loads them. */
async function loadDigits(): Promise<Digits> {
  const { default: shipped } = await import('virtual:mnist-digits');
  return { count: shipped.count, pixels: bytesFromBase64(shipped.pixels), labels: bytesFromBase64(shipped.labels) };
}

/** The host, handing the weights to the page without a copy (cloning them on the page's thread took tens of ms). */
class TransferringHost extends EngineHost {
  override async params(): Promise<RunParams> {
    const params = await super.params();
    return Comlink.transfer(params, [...params.initial, ...params.current].map((p) => p.values.buffer));
  }
}

Comlink.expose(new TransferringHost({ decodeImage: decodeServedImage, loadDigits, choices: indexedDbChoices }));
