// The Adaptive Cards renderer, loaded as a classic script (its UMD bundle) before app.js.
import type * as AdaptiveCardsModule from 'adaptivecards';

declare global {
  const AdaptiveCards: typeof AdaptiveCardsModule;
}
