// The demos the home page links, in one list so navigation and tests agree.
export interface Demo {
  id: string;
  href: string;
  title: string;
  /** Which of the four RNN types the demo shows. */
  kind: string;
  blurb: string;
  /** False until the demo's page and model have landed; the home page only links ready demos. */
  ready: boolean;
  /** False for pages whose JavaScript is heavy (charts, trainers): loaded only when opened, never prefetched. */
  prefetch?: false;
}

export const DEMOS: readonly Demo[] = [
  {
    id: 'translate',
    href: '/translate',
    title: 'Translate',
    kind: 'many-to-many',
    blurb: 'English software strings into Spanish, French or German, with the attention map.',
    ready: true,
  },
  {
    id: 'caption',
    href: '/caption',
    title: 'Caption',
    kind: 'one-to-many',
    blurb: 'An image goes in, a sentence comes out: Shapes scenes and emoji.',
    ready: true,
  },
  {
    id: 'lab',
    href: '/lab',
    title: 'RNN lab',
    kind: 'all four types',
    blurb:
      'Gates, backpropagation through time, vanishing and exploding gradients, on trained models.',
    ready: true,
    prefetch: false,
  },
  {
    id: 'train',
    href: '/train',
    title: 'Train your own',
    kind: 'many-to-many, one-to-many, many-to-one',
    blurb:
      'Your sentence pairs, pictures or time series: train a model in the page, then use it here or anywhere.',
    ready: true,
    prefetch: false,
  },
];
