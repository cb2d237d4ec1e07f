/** Once per `vitest run`: names the run, so the browser tests build the app once between them (support/app.ts). */
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testRun: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('testRun', `${process.pid}-${Date.now()}`);
}
