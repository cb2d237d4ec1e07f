/** Link parameter → config field, for every page that fits a function. */
import { NETWORK_LINKS } from '../../core/config/url';

export const FIT_LINKS = {
  ...NETWORK_LINKS,
  target: 'data.target',
  domain: 'data.domain',
  points: 'data.points',
  grid: 'data.grid',
  dropout: 'model.dropout',
  loss: 'train.loss',
  switchAt: 'train.lossSwitchAt',
  image: 'data.image.src',
} as const;
