/**
 * The page registry: every phenomenon page, one entry each, from which the navigation, the home page's cards,
 * the thumbnails (scripts/thumbnails.ts) and the browser smoke test read. Pages load on demand.
 */
import type { Component } from 'svelte';

export interface PhenomenonPage {
  /** The page's route: `#/${route}`. */
  route: string;
  title: string;
  /** A shorter name for the navigation bar. */
  nav?: string;
  /** The home page's card. */
  card: { title: string; sentence: string };
  /**
   * The card's picture: seconds of training before the shot (or, with `steps`, until the play bar has reached that
   * step: a slow page's picture then does not depend on the machine's load), which figure (0-based), extra link
   * parameters.
   */
  thumbnail: { seconds: number; steps?: number; figure: number; params?: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load: () => Promise<{ default: Component<any> }>;
  /** Props the page component takes. */
  props?: Record<string, unknown>;
}

export const PAGES: readonly PhenomenonPage[] = [
  {
    route: 'frequency-principle',
    title: 'Frequency principle',
    nav: 'F-Principle',
    card: { title: 'Frequency principle', sentence: 'A network fits a sum of sines and learns the low frequency first, the high ones later.' },
    thumbnail: { seconds: 4, figure: 1 },
    load: () => import('./fprinciple-1d/FrequencyPrinciple.svelte'),
  },
  {
    route: 'image',
    title: 'Image',
    card: { title: 'The network paints a picture', sentence: 'Fitting an image pixel by pixel, the output goes from a blur to the sharp edges — or drop in your own.' },
    thumbnail: { seconds: 25, figure: 1 },
    load: () => import('./fprinciple-2d/ImagePrinciple.svelte'),
  },
  {
    route: 'mnist',
    title: 'MNIST',
    card: { title: 'Real data: MNIST', sentence: 'On handwritten digits, the smooth part of the labels is learned long before the detailed part.' },
    thumbnail: { seconds: 15, figure: 0 },
    load: () => import('./fprinciple-mnist/MnistPrinciple.svelte'),
  },
  {
    route: 'multiscale',
    title: 'Multi-scale networks',
    nav: 'Multi-scale',
    card: { title: 'Multi-scale networks', sentence: 'Feeding neurons stretched copies of the input turns a slow high frequency into a fast low one.' },
    thumbnail: { seconds: 25, figure: 1 },
    load: () => import('./fprinciple-1d/Multiscale.svelte'),
  },
  {
    route: 'loss-switch',
    title: 'Loss switch',
    card: { title: 'Loss switch', sentence: 'Switching from data to the equation −u″ = f makes the error jump: the two losses favour different frequencies.' },
    thumbnail: { seconds: 30, figure: 0 },
    load: () => import('./fprinciple-1d/LossSwitch.svelte'),
  },
  {
    route: 'condensation',
    title: 'Condensation',
    card: { title: 'Condensation', sentence: 'Started small, the hidden neurons gather on a few directions — how many depends on the activation.' },
    thumbnail: { seconds: 10, figure: 0 },
    load: () => import('./condensation/Condensation.svelte'),
  },
  {
    route: 'condensation-2d',
    title: 'Condensation in 2-D',
    nav: 'Condensation 2-D',
    card: { title: 'Condensation in 2-D', sentence: 'The same with two inputs: each neuron a direction in 3-D, gathering on opposite poles.' },
    thumbnail: { seconds: 10, figure: 0 },
    load: () => import('./condensation/Condensation.svelte'),
    props: { inputs: 2 },
  },
  {
    route: 'phase-diagram',
    title: 'Phase diagram',
    card: { title: 'Phase diagram', sentence: 'The initialization scale decides between a linear regime and condensation; the boundary is a straight line.' },
    thumbnail: { seconds: 60, figure: 0, params: '&sweepWidths=100,200&maxSteps=2000' },
    load: () => import('./phase-diagram/PhaseDiagram.svelte'),
  },
  {
    route: 'adam-spike',
    title: 'Adam spikes',
    card: { title: 'Adam spikes', sentence: 'With the gradient gone, Adam’s step grows until the iteration is unstable and the loss climbs back.' },
    thumbnail: { seconds: 5, figure: 0 },
    load: () => import('./adam-spike/AdamSpike.svelte'),
  },
  {
    route: 'loss-spike',
    title: 'Loss spikes',
    card: { title: 'Loss spikes', sentence: 'Gradient descent sharpens the landscape until the step is too long: the loss spikes and lands somewhere flatter.' },
    thumbnail: { seconds: 35, figure: 1 },
    load: () => import('./loss-spike/LossSpike.svelte'),
  },
  {
    route: 'neural-collapse',
    title: 'Neural collapse',
    card: { title: 'Neural collapse', sentence: 'Past zero training error, each class collapses to a point and the classes form a simplex — unless some classes are rare.' },
    thumbnail: { seconds: 15, figure: 5 },
    load: () => import('./neural-collapse/NeuralCollapse.svelte'),
  },
  {
    route: 'embedding',
    title: 'Embedding principle',
    nav: 'Embedding',
    card: { title: 'Embedding principle', sentence: 'A wide network stalls exactly where a one-neuron network’s best fit lies: narrow optima live on in wide landscapes.' },
    thumbnail: { seconds: 8, figure: 0 },
    load: () => import('./embedding/Embedding.svelte'),
  },
  {
    route: 'dnn-jacobi',
    title: 'DNN against Jacobi',
    nav: 'DNN vs Jacobi',
    card: { title: 'DNN against Jacobi', sentence: 'Solving −u″ = g, a network gets the low frequencies right first; Jacobi iteration the high ones.' },
    thumbnail: { seconds: 8, figure: 0 },
    load: () => import('./dnn-jacobi/DnnJacobi.svelte'),
  },
  {
    route: 'parity',
    title: 'Parity and aliasing',
    nav: 'Parity',
    card: { title: 'Parity and aliasing', sentence: 'Seen on a few points, a function of pure high frequency looks smooth: the network fits what it sees and guesses the rest.' },
    thumbnail: { seconds: 10, figure: 0 },
    load: () => import('./parity/Parity.svelte'),
  },
  {
    route: 'grokking',
    title: 'Grokking in frequency',
    nav: 'Grokking',
    card: { title: 'Grokking in frequency', sentence: 'A network memorizes modular addition at once and generalizes long after; frequency by frequency, the test error falls at the jump.' },
    // Past the jump (test accuracy 0.92 at step 700), whatever the machine's load.
    thumbnail: { seconds: 0, steps: 800, figure: 0 },
    load: () => import('./grokking/Grokking.svelte'),
  },
  {
    route: 'init-error',
    title: 'Initialization-induced error',
    nav: 'Init error',
    card: { title: 'Initialization-induced error', sentence: 'A wide network keeps its random initial output between the training points; starting it antisymmetrically from zero removes that error.' },
    thumbnail: { seconds: 6, figure: 0 },
    load: () => import('./init-error/InitError.svelte'),
  },
  {
    route: 'anchor',
    title: 'Anchor functions',
    nav: 'Anchors',
    card: { title: 'Reasoning or memorizing', sentence: 'A small transformer composes shifts; on a pair it never saw, its initialization decides whether it reasons or copies.' },
    // Run B's accuracy (figure 2) at step 800, snapshots every 50 steps: the large initialization has left its
    // plateau by then; the small one's (figure 0) stays flat at zero for thousands of steps, an empty-looking chart.
    thumbnail: { seconds: 0, steps: 800, figure: 2, params: '&every=50' },
    load: () => import('./anchor/Anchor.svelte'),
  },
];
