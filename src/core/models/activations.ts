/** The hidden-layer activations a config may name, with the label the interface shows (no tfjs here). */
export const ACTIVATIONS = {
  tanh: { label: 'tanh(x)' },
  relu: { label: 'ReLU(x)' },
  sigmoid: { label: 'sigmoid(x)' },
  xtanh: { label: 'x·tanh(x)' },
  sin: { label: 'sin(x)' },
} as const;

export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]];
