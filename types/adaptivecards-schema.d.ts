// adaptivecards-templating's typings import `IAdaptiveCard` from 'adaptivecards/src/schema', which would make tsc
// compile the adaptivecards package's own TypeScript sources (they do not build under this project's settings).
// tsconfig.json maps that one import here; the templater only uses the type as "some card JSON".
export type IAdaptiveCard = Record<string, unknown>;
