import { describeLearningLoop } from './learning-loop.scenario';

jest.setTimeout(600_000);

// The learning loop's proof on the real stores; learning-loop.scenario.ts holds it for both.
describeLearningLoop('real');
