declare module 'virtual:mnist-digits' {
  /** The shipped MNIST digits, bytes as base64 (see src/build/mnistPlugin.ts). */
  const digits: { count: number; pixels: string; labels: string };
  export default digits;
}
