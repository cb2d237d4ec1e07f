/**
 * The hidden-layer activations a config may name, with the label the interface shows and the multiplicity p
 * of the condensation rule (Zhou et al., arXiv 2105.11686, Definition 1): σ^(k)(0) = 0 for k = 1 … p−1 and
 * σ^(p)(0) ≠ 0; nothing is required of σ(0), so sigmoid has p = 1. Null where the definition does not apply:
 * σ not differentiable at 0 (ReLU, and the compact-support MscaleDNN activations).
 * No tfjs here, so the page can import it.
 */
export const ACTIVATIONS = {
  tanh: { label: 'tanh(x)', multiplicity: 1 },
  relu: { label: 'ReLU(x)', multiplicity: null },
  sigmoid: { label: 'sigmoid(x)', multiplicity: 1 },
  xtanh: { label: 'x·tanh(x)', multiplicity: 2 },
  x2tanh: { label: 'x²·tanh(x)', multiplicity: 3 },
  sin: { label: 'sin(x)', multiplicity: 1 },
  srelu: { label: 'sReLU(x) = ReLU(x)·ReLU(1−x)', multiplicity: null },
  s2relu: { label: 's2ReLU(x) = sin(2πx)·sReLU(x)', multiplicity: null },
} as const satisfies Record<string, { label: string; multiplicity: number | null }>;

export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as [ActivationName, ...ActivationName[]];

/** Activations whose second derivative the model (PDE) loss can use (see Mlp.forwardWithDerivatives). */
export const SMOOTH_ACTIVATION_NAMES = ['tanh', 'sin', 'sigmoid'] as const satisfies readonly ActivationName[];
export type SmoothActivationName = (typeof SMOOTH_ACTIVATION_NAMES)[number];
