import { describeLearningLoop } from './learning-loop.scenario';

jest.setTimeout(600_000);

// The learning loop's proof on the embedded stores; learning-loop.scenario.ts holds it for both.
describeLearningLoop('embedded');
